// The event trace: what happened, one JSON object per line (JSON lines), for debugging a scenario.
// It is the model's TraceSink (model/trace_sink.h): the model hands it typed events, and this file
// alone decides how they look.
//
//   shardsim run scenarios/seed.json --trace out/trace.jsonl --trace-node '*_india*' --trace-kind node
//
// Every line has the simulated time in integer nanoseconds ("t_ns"), the kind and the node it
// happened at, then fields of its kind (docs/metrics.md lists them):
//
//   {"t_ns":1250000,"kind":"request","node":"clients/india","request":7,"op":"read","key":812,"hot":true}
//   {"t_ns":1302114,"kind":"node","node":"read_api_india","event":"start","request":7}
//   {"t_ns":9871002,"kind":"apply","node":"shard_slave_usa_2","shard":2,"from":40,"to":52,...}
//
// Filters (node glob patterns, kinds, a time window) are applied where the event happens, so a
// narrow trace of a long run stays cheap; without a trace the model pays one null-pointer test per
// traced place. Lines stream to a temporary file renamed into place by commit() (atomic, constant
// memory); after `max_lines` lines a last line of kind "truncated" says the trace was cut.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/model/replica.h"
#include "shardsim/model/trace_sink.h"
#include "shardsim/report/atomic_file.h"

namespace shardsim {

const char* trace_kind_name(TraceKind kind);
std::optional<TraceKind> parse_trace_kind(std::string_view name);
// "request, answer, node, commit, apply, failure": for help texts and errors.
std::string trace_kind_names();

struct TraceOptions {
  std::string path;                // the JSON-lines file
  std::vector<std::string> nodes;  // glob patterns ('*', '?'); empty: every node
  std::vector<TraceKind> kinds;    // empty: every kind
  Time from = 0;                   // simulated time window [from, until)
  Time until = kTimeNever;
  std::uint64_t max_lines = 1'000'000;
};

// True when `name` matches the glob `pattern` ('*' any run of characters, '?' one character).
bool glob_match(std::string_view pattern, std::string_view name);

class EventTrace final : public TraceSink, public ReplicaObserver {
 public:
  // Creates the temporary file. Throws std::runtime_error when it cannot.
  explicit EventTrace(TraceOptions options);

  // TraceSink: the filters, and one line per event (inside the window, below the limit).
  bool traces(TraceKind kind, std::string_view node) const override;
  void request_issued(Time now, std::string_view node, const RequestIssued& event) override;
  void request_answered(Time now, std::string_view node, const RequestAnswered& event) override;
  void node_job(Time now, std::string_view node, const NodeJob& event) override;
  void write_committed(Time now, std::string_view node, const WriteCommitted& event) override;
  void failure_noted(Time now, std::string_view node, const FailureNoted& event) override;

  // Writes one line if `now` is inside the window and the line limit is not reached. `fields` is
  // the rest of the JSON object, without braces: "\"request\":7,\"op\":\"read\"" (may be empty).
  // The caller has checked traces(kind, node).
  void record(Time now, TraceKind kind, std::string_view node, std::string_view fields);

  // ReplicaObserver: a traced copy applied [from, to).
  void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) override;
  void on_stale_keys_changed(const Replica&, std::int64_t, Time) override {}

  std::uint64_t lines() const { return lines_; }
  bool truncated() const { return truncated_; }

  // The trace's file, to be put into place with the run's other outputs (OutputSet) or alone
  // (file().commit()). Without either (an interrupted run) nothing is left behind.
  AtomicFileStream& file() { return file_; }

 private:
  TraceOptions options_;
  std::uint32_t kind_mask_ = 0;
  AtomicFileStream file_;
  std::uint64_t lines_ = 0;
  bool truncated_ = false;
  std::string line_;  // reused buffer
};

// A JSON string literal, escaped (node names and details come from the scenario file).
std::string json_quoted(std::string_view text);

}  // namespace shardsim
