// Node: parallel servers, FIFO queue, rejections, exact service times and time-weighted statistics.
#include "shardsim/model/node.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <utility>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/random/distribution.h"

using shardsim::Callback;
using shardsim::Distribution;
using shardsim::kMillisecond;
using shardsim::Node;
using shardsim::NodeSpec;
using shardsim::Simulation;
using shardsim::Time;

namespace {

using Served = std::vector<std::pair<Time, std::uint64_t>>;

NodeSpec spec(std::uint32_t servers, std::uint32_t queue_capacity, double service_ms) {
  NodeSpec s;
  s.servers = servers;
  s.queue_capacity = queue_capacity;
  s.service_ms = Distribution::constant(service_ms);
  return s;
}

// A node whose completions are recorded as (time, job).
struct Harness {
  explicit Harness(const NodeSpec& s) : node(sim, "n", 0, s, 42, Callback::to<&Harness::served>(this)) {}
  void served(std::uint64_t job) { done.emplace_back(sim.now(), job); }
  // Submits `job` when the event runs (arrivals at later instants).
  void submit_later(std::uint64_t job) { accepted.push_back(node.submit(job)); }
  void submit_at(Time t, std::uint64_t job) {
    sim.schedule_at(t, Callback::to<&Harness::submit_later>(this), job);
  }

  Simulation sim;
  Node node;
  Served done;
  std::vector<bool> accepted;
};

}  // namespace

TEST_CASE("Node serves up to `servers` jobs in parallel", "[node]") {
  Harness h(spec(3, 100, 1.0));
  CHECK(h.node.servers() == 3);
  for (std::uint64_t job = 1; job <= 7; ++job) CHECK(h.node.submit(job));
  CHECK(h.node.busy() == 3);
  CHECK(h.node.queued() == 4);
  h.sim.run_until(100 * kMillisecond);
  CHECK(h.done == Served{{1 * kMillisecond, 1},
                         {1 * kMillisecond, 2},
                         {1 * kMillisecond, 3},
                         {2 * kMillisecond, 4},
                         {2 * kMillisecond, 5},
                         {2 * kMillisecond, 6},
                         {3 * kMillisecond, 7}});
  CHECK(h.node.busy() == 0);
  CHECK(h.node.queued() == 0);
  CHECK(h.node.stats(h.sim.now()).served == 7);
}

TEST_CASE("Node serves queued jobs in FIFO order", "[node]") {
  Harness h(spec(1, 1000, 1.0));
  // Enough to make the ring buffer grow (it starts at 16) while jobs are being taken from it.
  for (std::uint64_t job = 0; job < 40; ++job) h.submit_at(static_cast<Time>(job) * kMillisecond / 4, job);
  h.sim.run_until(kMillisecond * 100);
  REQUIRE(h.done.size() == 40);
  for (std::uint64_t job = 0; job < 40; ++job) {
    CHECK(h.done[job].second == job);
    CHECK(h.done[job].first == static_cast<Time>(job + 1) * kMillisecond);
  }
  CHECK(h.node.stats(h.sim.now()).max_queue == 30);  // at 9.75 ms: 40 arrived, 9 served, 1 in service
}

TEST_CASE("Node rejects a job when its queue is full", "[node]") {
  Harness h(spec(1, 2, 1.0));
  CHECK(h.node.submit(1));  // in service
  CHECK(h.node.submit(2));  // queued
  CHECK(h.node.submit(3));  // queued
  CHECK_FALSE(h.node.submit(4));
  CHECK_FALSE(h.node.submit(5));
  CHECK(h.node.busy() == 1);
  CHECK(h.node.queued() == 2);
  auto stats = h.node.stats(h.sim.now());
  CHECK(stats.rejected == 2);
  CHECK(stats.max_queue == 2);
  h.sim.run_until(10 * kMillisecond);
  CHECK(h.done == Served{{1 * kMillisecond, 1}, {2 * kMillisecond, 2}, {3 * kMillisecond, 3}});
  stats = h.node.stats(h.sim.now());
  CHECK(stats.served == 3);
  CHECK(stats.rejected == 2);
  CHECK(h.node.submit(6));  // room again
}

TEST_CASE("Node with queue capacity 0 has no waiting room", "[node]") {
  Harness h(spec(2, 0, 1.0));
  CHECK(h.node.submit(1));
  CHECK(h.node.submit(2));
  CHECK_FALSE(h.node.submit(3));
  CHECK(h.node.queued() == 0);
  h.sim.run_until(kMillisecond);  // both still in service at the end of [0, 1 ms)
  CHECK_FALSE(h.node.submit(4));
  h.sim.run_until(kMillisecond + 1);
  CHECK(h.done.size() == 2);
  CHECK(h.node.submit(5));
  CHECK(h.node.stats(h.sim.now()).rejected == 2);
  CHECK(h.node.stats(h.sim.now()).max_queue == 0);
}

TEST_CASE("Node with constant service completes jobs at exact times", "[node]") {
  Harness h(spec(1, 100, 1.0));
  h.submit_at(0, 1);                       // 0 -> 1 ms
  h.submit_at(kMillisecond / 2, 2);        // waits until 1 ms -> 2 ms
  h.submit_at(3 * kMillisecond, 3);        // idle server -> 4 ms
  h.submit_at(4 * kMillisecond, 4);        // arrives as 3 leaves (scheduled earlier) -> 5 ms
  h.submit_at(4 * kMillisecond + 123, 5);  // -> 6 ms
  h.sim.run_until(100 * kMillisecond);
  CHECK(h.done == Served{{1 * kMillisecond, 1},
                         {2 * kMillisecond, 2},
                         {4 * kMillisecond, 3},
                         {5 * kMillisecond, 4},
                         {6 * kMillisecond, 5}});
  CHECK(h.accepted == std::vector<bool>(5, true));
}

TEST_CASE("Node utilization and mean queue are exact time integrals", "[node]") {
  // 2 servers, 2 ms each, 5 jobs at t = 0: jobs 1,2 in [0,2), 3,4 in [2,4), 5 in [4,6).
  // Busy servers: 2, 2, 1 then 0 -> 10 server-ms. Queue length: 3 in [0,2), 1 in [2,4) -> 8 job-ms.
  Harness h(spec(2, 100, 2.0));
  for (std::uint64_t job = 1; job <= 5; ++job) REQUIRE(h.node.submit(job));

  h.sim.run_until(3 * kMillisecond);
  auto s = h.node.stats(h.sim.now());
  CHECK(s.busy_area == 6.0 * kMillisecond);   // 2 servers for 3 ms
  CHECK(s.queue_area == 7.0 * kMillisecond);  // 3 * 2 + 1 * 1
  CHECK(h.node.utilization(h.sim.now()) == Approx(1.0).epsilon(1e-12));
  CHECK(h.node.mean_queue(h.sim.now()) == Approx(7.0 / 3.0).epsilon(1e-12));

  h.sim.run_until(10 * kMillisecond);
  s = h.node.stats(h.sim.now());
  CHECK(s.served == 5);
  CHECK(s.max_queue == 3);
  CHECK(s.since == 0);
  CHECK(s.busy_area == 10.0 * kMillisecond);
  CHECK(s.queue_area == 8.0 * kMillisecond);
  CHECK(h.node.utilization(h.sim.now()) == Approx(0.5).epsilon(1e-12));  // 10 / (10 * 2)
  CHECK(h.node.mean_queue(h.sim.now()) == Approx(0.8).epsilon(1e-12));   // 8 / 10
  // stats() brings the integrals up to the given time without changing the node.
  CHECK(h.node.utilization(20 * kMillisecond) == Approx(0.25).epsilon(1e-12));
  CHECK(h.node.utilization(h.sim.now()) == Approx(0.5).epsilon(1e-12));
}

TEST_CASE("Node reset_stats starts a new statistics window", "[node]") {
  Harness h(spec(2, 100, 2.0));
  for (std::uint64_t job = 1; job <= 5; ++job) REQUIRE(h.node.submit(job));
  REQUIRE(h.node.submit(6));
  h.sim.run_until(3 * kMillisecond);  // jobs 3,4 in service, 5 and 6 queued
  h.node.reset_stats(h.sim.now());
  auto s = h.node.stats(h.sim.now());
  CHECK(s.served == 0);
  CHECK(s.rejected == 0);
  CHECK(s.busy_area == 0);
  CHECK(s.queue_area == 0);
  CHECK(s.since == 3 * kMillisecond);
  CHECK(s.max_queue == 2);                        // what is queued at the reset
  CHECK(h.node.utilization(h.sim.now()) == 0.0);  // empty window

  // After the reset: 3,4 leave at 4 ms; 5,6 in [4,6). Busy 2 servers over [3,6); queue 2 over [3,4).
  h.sim.run_until(8 * kMillisecond);
  s = h.node.stats(h.sim.now());
  CHECK(s.served == 4);
  CHECK(s.busy_area == 6.0 * kMillisecond);
  CHECK(s.queue_area == 2.0 * kMillisecond);
  CHECK(h.node.utilization(h.sim.now()) == Approx(6.0 / (5.0 * 2.0)).epsilon(1e-12));
  CHECK(h.node.mean_queue(h.sim.now()) == Approx(2.0 / 5.0).epsilon(1e-12));
}

TEST_CASE("A crashed node rejects new jobs and returns its queued ones", "[node]") {
  Harness h(spec(1, 100, 1.0));
  for (std::uint64_t job = 1; job <= 4; ++job) REQUIRE(h.node.submit(job));
  h.sim.run_until(kMillisecond / 2);
  CHECK(h.node.crash() == std::vector<std::uint64_t>{2, 3, 4});  // the queued jobs, in FIFO order
  CHECK_FALSE(h.node.up());
  CHECK(h.node.queued() == 0);
  CHECK_FALSE(h.node.submit(5));
  CHECK(h.node.stats(h.sim.now()).rejected == 1);

  // The job in service still completes; the dropped ones never do.
  h.sim.run_until(10 * kMillisecond);
  CHECK(h.done == Served{{1 * kMillisecond, 1}});
  CHECK(h.node.busy() == 0);

  h.node.recover();
  CHECK(h.node.up());
  CHECK(h.node.submit(6));
  h.sim.run_until(20 * kMillisecond);
  CHECK(h.done == Served{{1 * kMillisecond, 1}, {11 * kMillisecond, 6}});
}

TEST_CASE("Node set_slowdown multiplies the service time", "[node]") {
  Harness h(spec(1, 100, 1.0));
  h.node.set_slowdown(3.0);
  REQUIRE(h.node.submit(1));
  REQUIRE(h.node.submit(2));
  h.sim.run_until(4 * kMillisecond);
  h.node.set_slowdown(1.0);  // job 2 is already in service at 3x; job 3 is served at 1x
  REQUIRE(h.node.submit(3));
  h.sim.run_until(100 * kMillisecond);
  CHECK(h.done == Served{{3 * kMillisecond, 1}, {6 * kMillisecond, 2}, {7 * kMillisecond, 3}});
}

TEST_CASE("Node with exponential service has the right mean service time", "[node]") {
  NodeSpec s = spec(1, 100'000, 1.0);
  s.service_ms = Distribution::exponential(0.5);
  Harness h(s);
  constexpr std::uint64_t kJobs = 20'000;
  for (std::uint64_t job = 0; job < kJobs; ++job) REQUIRE(h.node.submit(job));
  h.sim.run_until(shardsim::kTimeNever - 1);
  REQUIRE(h.done.size() == kJobs);
  // One server, always busy: the last completion is the sum of the service times.
  const double mean_ms = shardsim::to_ms(h.done.back().first) / kJobs;
  CHECK(mean_ms == Approx(0.5).epsilon(0.03));  // the standard error is 0.7%
}
