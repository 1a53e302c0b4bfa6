// Validation: one lazy replication hop (ReplicationLog -> ReplicationStream -> Network -> Replica)
// against the batching formula.
//
// Writes are committed at Poisson times at the active master (geo 0) and shipped to a replica in
// geo 1 every B (ticks at a random phase), over a link of constant one-way latency L with no
// bandwidth limit. A write waits for the next tick (uniform on [0, B] for Poisson writes, which do
// not see the tick phase), travels L, and becomes visible when its batch's apply ends. With an
// apply cost of a per entry and no queueing between batches, a write in a batch of K entries has
//   lag = L + U + K a,   U ~ Uniform[0, B],
// so every lag lies in [L + K a, L + B + K a] exactly (integer ns), and since the batch of a random
// write is size-biased (Poisson(lambda B) batches: E[K^2] / E[K] = lambda B + 1),
//   E[lag] = L + B/2 + a (lambda B + 1)     (L + B/2 when a = 0).
// When writes arrive faster than the stream can ship (lambda > max_batch_entries / B), the backlog
// and the lag grow without bound: a write committed at time t is shipped around
// t lambda B / max_batch_entries, so its lag grows like t (lambda B / max_batch_entries - 1) + L.
//
// Run length: 200 s of writes at 1000/s are 200,000 lags; U has standard deviation B/sqrt(12), so
// the standard error of the mean lag is about 0.01 ms (the batches make the lags of one batch share
// their U; with ~10 entries per batch that inflates the error by about sqrt(11), to 0.03 ms), well
// below 2% of the smallest quantity compared, B/2 = 5 ms.
//
// With batch_jitter j the intervals are I = B U[1 - j, 1 + j], a renewal process: a Poisson write
// waits the residual of the interval it falls in, E[I^2] / (2 E[I]) = (B/2)(1 + j^2/3), so
//   E[lag] = L + (B/2)(1 + j^2/3),  every lag in [L, L + (1 + j) B].
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"
#include "shardsim/model/replication_log.h"
#include "shardsim/model/replication_stream.h"
#include "shardsim/net/network.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

using shardsim::Callback;
using shardsim::Distribution;
using shardsim::Duration;
using shardsim::from_ms;
using shardsim::kMillisecond;
using shardsim::kSecond;
using shardsim::LogPosition;
using shardsim::Network;
using shardsim::Node;
using shardsim::NodeSpec;
using shardsim::RandomStream;
using shardsim::Replica;
using shardsim::ReplicaObserver;
using shardsim::ReplicaRole;
using shardsim::ReplicationHopSpec;
using shardsim::ReplicationLog;
using shardsim::ReplicationStream;
using shardsim::Scenario;
using shardsim::Simulation;
using shardsim::StreamSource;
using shardsim::Time;
using shardsim::to_ms;

namespace {

constexpr std::uint64_t kKeys = 1000;
constexpr std::uint32_t kEntryBytes = 1024;

struct HopSetup {
  Duration latency = 50 * kMillisecond;   // L
  Duration interval = 10 * kMillisecond;  // B
  std::uint32_t max_batch = 1'000'000;    // large: never binds unless the test says so
  double apply_ms_per_entry = 0;          // a
  double jitter = 0;                      // j: intervals B x U[1 - j, 1 + j]
  double writes_per_s = 1000;             // lambda
  Duration write_for = 200 * kSecond;     // writes stop after this
  Duration run_for = 210 * kSecond;       // then the hop drains
  std::uint64_t seed = 1;
};

struct Applied {
  Time committed;
  Duration lag;
  std::uint64_t batch_entries;
};

// The hop under test, built from the simulator's own parts, and a Poisson writer and a lag recorder.
class LazyHop : public ReplicaObserver {
 public:
  explicit LazyHop(const HopSetup& setup)
      : setup_(setup),
        scenario_(make_scenario(setup)),
        network_(sim_, scenario_),
        master_(sim_, "master", 0, NodeSpec{}, setup.seed, Callback::to<&LazyHop::ignore>(this)),
        log_(0, 0, kKeys),
        target_(sim_, log_, ReplicaRole::kShardSlave, "slave", 1, 0,
                Distribution::constant(setup.apply_ms_per_entry), setup.seed),
        stream_(sim_, network_, hop_spec(setup), log_, StreamSource::active_master(master_), target_,
                kEntryBytes, setup.seed),
        gaps_(Distribution::exponential(1000.0 / setup.writes_per_s)),
        writes_(setup.seed, "validation/writes"),
        keys_(setup.seed, "validation/keys") {
    target_.add_observer(this);
  }

  std::vector<Applied> run() {
    stream_.start();
    sim_.schedule_in(from_ms(gaps_.sample(writes_)), Callback::to<&LazyHop::write>(this));
    sim_.run_until(setup_.run_for);
    return applied_;
  }
  std::uint64_t written() const { return written_; }

  void on_applied(const Replica& /*replica*/, LogPosition from, LogPosition to, Time now) override {
    for (LogPosition p = from; p < to; ++p) {
      const Time committed = log_.at(p).committed;
      applied_.push_back(Applied{committed, now - committed, to - from});
    }
  }
  void on_stale_keys_changed(const Replica& /*replica*/, std::int64_t /*delta*/, Time /*now*/) override {}

 private:
  static Scenario make_scenario(const HopSetup& setup) {
    Scenario s;
    s.name = "lazy-hop-validation";
    s.seed = setup.seed;
    s.geos = {"a", "b"};
    s.network.intra_geo_latency_ms = Distribution::constant(0.5);
    s.network.inter_geo_latency_ms = Distribution::constant(to_ms(setup.latency));
    return s;
  }
  static ReplicationHopSpec hop_spec(const HopSetup& setup) {
    ReplicationHopSpec spec;
    spec.batch_interval = setup.interval;
    spec.batch_jitter = setup.jitter;
    spec.max_batch_entries = setup.max_batch;
    spec.apply_ms_per_entry = Distribution::constant(setup.apply_ms_per_entry);
    return spec;
  }

  void ignore(std::uint64_t /*job*/) {}

  void write(std::uint64_t /*unused*/) {
    if (sim_.now() >= setup_.write_for) return;
    log_.append(keys_.next_below(kKeys), sim_.now());
    ++written_;
    sim_.schedule_in(from_ms(gaps_.sample(writes_)), Callback::to<&LazyHop::write>(this));
  }

  HopSetup setup_;
  Simulation sim_;
  Scenario scenario_;
  Network network_;
  Node master_;
  ReplicationLog log_;
  Replica target_;
  ReplicationStream stream_;
  Distribution gaps_;
  RandomStream writes_;
  RandomStream keys_;
  std::uint64_t written_ = 0;
  std::vector<Applied> applied_;
};

double mean_lag_ms(const std::vector<Applied>& applied, std::size_t from, std::size_t to) {
  double sum = 0;
  for (std::size_t i = from; i < to; ++i) sum += to_ms(applied[i].lag);
  return sum / static_cast<double>(to - from);
}

void table_row(const std::string& check, const std::string& params, double sim, double ref) {
  if (std::getenv("SHARDSIM_VALIDATION_TABLE") == nullptr) return;
  std::printf("| %s | %s | %.5g | %.5g | %+.2f%% | |\n", check.c_str(), params.c_str(), sim, ref,
              100 * (sim - ref) / ref);
}

}  // namespace

TEST_CASE("Lazy hop with free apply: mean lag is L + B/2 and every lag is in [L, L + B]",
          "[validation][replication]") {
  HopSetup setup;
  LazyHop hop(setup);
  const std::vector<Applied> applied = hop.run();
  REQUIRE(applied.size() == hop.written());
  REQUIRE(applied.size() > 150'000);

  const double l = to_ms(setup.latency), b = to_ms(setup.interval);
  const double mean = mean_lag_ms(applied, 0, applied.size());
  Duration min_lag = applied.front().lag, max_lag = applied.front().lag;
  for (const Applied& a : applied) {
    min_lag = std::min(min_lag, a.lag);
    max_lag = std::max(max_lag, a.lag);
  }
  table_row("lazy hop mean lag (ms), a = 0", "L=50ms, B=10ms, 1000 writes/s, 200 s", mean, l + b / 2);
  table_row("lazy hop mean lag - L (ms), a = 0", "same", mean - l, b / 2);
  INFO("mean lag " << mean << " ms vs " << l + b / 2 << "; min " << min_lag << " ns, max " << max_lag
                   << " ns");
  CHECK(mean == Approx(l + b / 2).epsilon(0.02));
  CHECK(mean - l == Approx(b / 2).epsilon(0.02));  // the stricter check: the batching part alone
  CHECK(min_lag >= setup.latency);
  CHECK(max_lag <= setup.latency + setup.interval);
  // The bounds are attained (up to the grain of the writes): lags really spread over [L, L + B].
  CHECK(min_lag < setup.latency + setup.interval / 100);
  CHECK(max_lag > setup.latency + setup.interval * 99 / 100);
}

TEST_CASE(
    "Lazy hop with apply cost a per entry: lag in [L + K a, L + B + K a], mean L + B/2 + a (lambda B + 1)",
    "[validation][replication]") {
  HopSetup setup;
  setup.apply_ms_per_entry = 0.2;  // a batch of ~10 entries costs ~2 ms, well under B: no queueing
  LazyHop hop(setup);
  const std::vector<Applied> applied = hop.run();
  REQUIRE(applied.size() == hop.written());

  const double l = to_ms(setup.latency), b = to_ms(setup.interval), a = setup.apply_ms_per_entry;
  const Duration per_entry = from_ms(a);
  std::uint64_t below = 0, above = 0, below_l_plus_a = 0;
  for (const Applied& x : applied) {
    const Duration apply = per_entry * static_cast<Duration>(x.batch_entries);
    below += x.lag < setup.latency + apply;
    above += x.lag > setup.latency + setup.interval + apply;
    below_l_plus_a += x.lag < setup.latency + per_entry;
  }
  const double mean = mean_lag_ms(applied, 0, applied.size());
  const double expected = l + b / 2 + a * (setup.writes_per_s / 1000 * b + 1);
  table_row("lazy hop mean lag (ms), a = 0.2 ms/entry", "L=50ms, B=10ms, 1000 writes/s, 200 s", mean,
            expected);
  INFO("mean lag " << mean << " ms vs " << expected);
  CHECK(below_l_plus_a == 0);
  CHECK(below == 0);
  CHECK(above == 0);
  CHECK(mean == Approx(expected).epsilon(0.02));
  CHECK(mean - l == Approx(expected - l).epsilon(0.02));
}

TEST_CASE("Lazy hop under a write rate above max_batch_entries / B: the lag grows without bound",
          "[validation][replication]") {
  HopSetup setup;
  setup.max_batch = 10;       // ships at most 10 entries per 10 ms: 1000 entries/s
  setup.writes_per_s = 2000;  // twice that
  setup.write_for = 20 * kSecond;
  setup.run_for = 45 * kSecond;  // long enough to drain the backlog (about 40 s of shipping)
  LazyHop hop(setup);
  std::vector<Applied> applied = hop.run();
  REQUIRE(applied.size() == hop.written());
  std::sort(applied.begin(), applied.end(),
            [](const Applied& x, const Applied& y) { return x.committed < y.committed; });

  const std::size_t n = applied.size(), decile = n / 10;
  const double first = mean_lag_ms(applied, 0, decile);
  const double last = mean_lag_ms(applied, n - decile, n);
  // Fluid prediction for the last decile: its mean commit time t times (lambda B / max - 1), plus L.
  double mean_commit_s = 0;
  for (std::size_t i = n - decile; i < n; ++i) mean_commit_s += shardsim::to_s(applied[i].committed);
  mean_commit_s /= static_cast<double>(decile);
  const double growth = setup.writes_per_s * shardsim::to_s(setup.interval) / setup.max_batch - 1;
  const double predicted_last = mean_commit_s * growth * 1000 + to_ms(setup.latency);
  double first_commit_s = 0;
  for (std::size_t i = 0; i < decile; ++i) first_commit_s += shardsim::to_s(applied[i].committed);
  first_commit_s /= static_cast<double>(decile);
  table_row("lazy hop overload: first-decile mean lag (ms)", "2000 writes/s, max 10 per B=10ms, 20 s", first,
            first_commit_s * growth * 1000 + to_ms(setup.latency));
  table_row("lazy hop overload: last-decile mean lag (ms)", "2000 writes/s, max 10 per B=10ms, 20 s", last,
            predicted_last);
  INFO("first decile " << first << " ms, last decile " << last << " ms, fluid prediction " << predicted_last);
  CHECK(last > 5 * first);
  CHECK(last == Approx(predicted_last).epsilon(0.05));
}

TEST_CASE("Lazy hop with batch jitter: mean lag is L + (B/2)(1 + j^2/3), lags in [L, L + (1 + j) B]",
          "[validation][replication]") {
  HopSetup setup;
  setup.jitter = 1.0;
  LazyHop hop(setup);
  const std::vector<Applied> applied = hop.run();
  REQUIRE(applied.size() == hop.written());
  const double l = to_ms(setup.latency), b = to_ms(setup.interval), j = setup.jitter;
  const double mean = mean_lag_ms(applied, 0, applied.size());
  const double expected = l + b / 2 * (1 + j * j / 3);
  table_row("lazy hop mean lag - L (ms), jitter 1", "L=50ms, B=10ms, 1000 writes/s, 200 s", mean - l,
            expected - l);
  CHECK(mean - l == Approx(expected - l).epsilon(0.02));  // 6.67 ms, where lockstep gives 5
  Duration max_lag = 0;
  for (const Applied& a : applied) {
    CHECK(a.lag >= setup.latency);
    max_lag = std::max(max_lag, a.lag);
  }
  CHECK(max_lag <= setup.latency + 2 * setup.interval);
  CHECK(max_lag > setup.latency + setup.interval);  // longer intervals than B really occur
}
