// What the model tells the event trace (--trace): typed events at named places. The model never
// formats a trace line; report/event_trace.h renders these events as JSON lines (docs/metrics.md
// lists their fields).
//
// A traced place holds a TraceSink pointer, null without a trace, so the model pays one pointer test
// per traced place when nothing is traced. Before building an event the place asks
// traces(kind, node), so an event filtered out by node or kind costs no more than that question.
// Nodes and copies that do not pass the filter are never given the sink at all (run/ wires them).
// The sink applies the time window and the line limit itself.
#pragma once

#include <cstdint>
#include <string_view>

#include "shardsim/kernel/time.h"
#include "shardsim/model/operation.h"
#include "shardsim/model/replication_log.h"

namespace shardsim {

enum class TraceKind : std::uint8_t {
  kRequest,  // a client issues a request
  kAnswer,   // the answer, or the failure, reaches the client
  kNode,     // a node queues, starts, finishes or rejects a job
  kCommit,   // the active global master commits a write
  kApply,    // a copy (standby, shard master, slave) applies a batch of its shard's log
  kFailure,  // the failure timeline: crash, recover, declared_down, promoted, routing_updated, ...
  kCount
};

// What happened to a job at a node.
enum class JobEvent : std::uint8_t { kQueued, kStart, kDone, kRejected, kDropped };
// "queued", "start", "done", "rejected", "dropped".
const char* job_event_name(JobEvent event);

// A client issued a request (kind request, at "clients/<geo>").
struct RequestIssued {
  std::uint32_t request = 0;
  Operation op = Operation::kRead;
  std::uint64_t key = 0;  // the key's index
  bool hot = false;
};

// The answer to a request, or its failure, reached the client (kind answer).
struct RequestAnswered {
  std::uint32_t request = 0;
  Operation op = Operation::kRead;
  Outcome outcome = Outcome::kCount;  // meaningless when failed
  bool failed = false;
  Duration latency = 0;       // since the request was issued
  std::uint64_t version = 0;  // the version a read returned (answered reads only)
};

// A node's job event (kind node). A box's job is the request's id in its low 32 bits and the box's
// flag (a cache fill, an async write) in the high bits: the node splits them as the boxes pack them.
struct NodeJob {
  JobEvent event = JobEvent::kQueued;
  std::uint32_t request = 0;
  std::uint32_t flag = 0;  // 0: the request itself
};

// The active global master committed a write (kind commit).
struct WriteCommitted {
  std::uint32_t request = 0;
  std::uint32_t shard = 0;
  LogPosition position = 0;
  std::uint64_t key = 0;
  bool async = false;
};

// An entry of the failure timeline (kind failure): "crash", "declared_down", "promoted", ...
struct FailureNoted {
  std::string_view event;
  std::string_view detail;  // may be empty
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;

  // Whether events of `kind` at `node` pass the kind and node filters (not the time window).
  virtual bool traces(TraceKind kind, std::string_view node) const = 0;

  // Each event happened at `now` at `node`; the caller has checked traces(kind, node).
  virtual void request_issued(Time now, std::string_view node, const RequestIssued& event) = 0;
  virtual void request_answered(Time now, std::string_view node, const RequestAnswered& event) = 0;
  virtual void node_job(Time now, std::string_view node, const NodeJob& event) = 0;
  virtual void write_committed(Time now, std::string_view node, const WriteCommitted& event) = 0;
  virtual void failure_noted(Time now, std::string_view node, const FailureNoted& event) = 0;
  // A copy's applied batches reach the trace as a ReplicaObserver (model/replica.h).
};

}  // namespace shardsim
