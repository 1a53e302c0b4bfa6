// A node of finite capacity: the building block of every box in the seed diagram.
//
// `servers` jobs are served in parallel; more wait in a FIFO queue of `queue_capacity` places; a job
// that finds the queue full is rejected (submit() returns false and the rejection is counted).
// Service times are drawn from the node's own random stream. Without finite capacity there is no
// capacity planning: latency grows as load nears saturation, and that is what this class models.
//
// The node also keeps its own time-weighted statistics (utilization, queue length), reset at the
// end of the warm-up.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class TraceSink;  // model/trace_sink.h
enum class JobEvent : std::uint8_t;

class Node {
 public:
  // `on_served(job)` runs when a job's service ends.
  Node(Simulation& sim, std::string name, GeoId geo, const NodeSpec& spec, std::uint64_t seed,
       Callback on_served);
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // Offers a job. Returns false when the node is down or its queue is full (a rejection).
  bool submit(std::uint64_t job);

  // Tells `trace` this node's job events (null: none). The caller has checked that the trace wants
  // kind node at this node.
  void set_trace(TraceSink* trace) { trace_ = trace; }

  // A slow node: service times are multiplied by `factor` (1 is normal).
  void set_slowdown(double factor) { slowdown_ = factor; }
  // A crashed node rejects new jobs and drops the ones waiting in its queue, which it returns so the
  // owner can fail them. Jobs in service when it crashes still complete (on_served runs); the owner
  // checks up() there and fails them too.
  std::vector<std::uint64_t> crash();
  void recover() { up_ = true; }
  bool up() const { return up_; }

  struct Stats {
    std::uint64_t served = 0;
    std::uint64_t rejected = 0;
    std::uint64_t max_queue = 0;
    double busy_area = 0;   // integral of busy servers over time (server-ns)
    double queue_area = 0;  // integral of queue length over time (job-ns)
    Time since = 0;         // start of the statistics window
  };
  // Statistics up to `now` (integrals brought up to date).
  Stats stats(Time now) const;
  void reset_stats(Time now);
  double utilization(Time now) const;
  double mean_queue(Time now) const;

  const std::string& name() const { return name_; }
  GeoId geo() const { return geo_; }
  std::uint32_t servers() const { return servers_; }
  std::uint32_t busy() const { return busy_; }
  std::uint64_t queued() const { return queue_size_; }

 private:
  void start_service(std::uint64_t job);
  void finish_service(std::uint64_t job);
  void account(Time now);
  void push_queue(std::uint64_t job);
  std::uint64_t pop_queue();
  void trace(JobEvent event, std::uint64_t job);

  Simulation& sim_;
  std::string name_;
  GeoId geo_;
  std::uint32_t servers_;
  std::uint64_t queue_capacity_;
  Distribution service_ms_;
  RandomStream rng_;
  Callback on_served_;
  TraceSink* trace_ = nullptr;
  double slowdown_ = 1.0;
  bool up_ = true;

  std::uint32_t busy_ = 0;
  // FIFO ring buffer, grown by doubling up to the queue capacity (no allocation once grown).
  std::vector<std::uint64_t> ring_;
  std::uint64_t queue_head_ = 0;
  std::uint64_t queue_size_ = 0;

  Stats stats_;
  Time last_change_ = 0;
};

}  // namespace shardsim
