// The recorder: models report what happens (a request finished, a replica applied a batch, a read
// returned a version); the recorder accumulates those observations into plain figures (counters,
// histograms, time-weighted shares) that report/ renders into report.json, the summary and the
// time series. Models never compute metrics themselves.
//
// It lives in the model's layer, below report/, because the model records into it on every
// request: direct, inlineable calls into plain data, no virtual dispatch on the per-request path.
// Nothing in it knows how a report looks.
//
// Everything observed before the end of the warm-up is left out, except state (positions, stale
// counts) which the recorder tracks from the start so that time-weighted figures are exact from the
// first instant after the warm-up.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/model/operation.h"
#include "shardsim/model/replica.h"
#include "shardsim/scenario/scenario.h"
#include "shardsim/util/histogram.h"

namespace shardsim {

// Where a read's data came from.
enum class ReadSource : std::uint8_t { kCache, kSlave, kCount };
const char* read_source_name(ReadSource source);

// A time-weighted share (the fresh share of a geo's slaves): mean, minimum and time below target.
class TimeWeightedShare {
 public:
  void configure(double target) { target_ = target; }
  // Adds `keys` keys to the population, `stale` of them stale now.
  void add_keys(std::uint64_t keys, std::uint64_t stale) {
    total_ += keys;
    bad_ += stale;
  }
  void remove_keys(std::uint64_t keys, std::uint64_t stale, Time now) {
    advance(now);
    total_ -= keys;
    bad_ -= stale;
  }
  void change(std::int64_t delta_bad, Time now);  // bad = stale keys
  void start_window(Time now);
  void close(Time now) { advance(now); }
  double share() const { return total_ == 0 ? 1.0 : 1.0 - static_cast<double>(bad_) / total_; }
  double mean() const;
  double min() const { return window_started_ ? min_ : share(); }
  double time_below_target_s() const { return to_s(below_); }
  double fraction_below_target() const;

 private:
  void advance(Time now);
  std::uint64_t total_ = 0;
  std::uint64_t bad_ = 0;
  double target_ = 0.8;
  bool window_started_ = false;
  Time window_start_ = 0;
  Time last_ = 0;
  double area_ = 0;  // integral of share over the window
  Duration below_ = 0;
  double min_ = 1.0;
};

// The probability that a read issued t after a write's commit sees it (Bailis et al., PBS), in
// bins of t.
class TVisibility {
 public:
  static const std::vector<Duration>& bin_edges();  // lower edges; the last bin is open
  void record(Duration since_commit, bool visible);
  std::uint64_t reads(std::size_t bin) const { return reads_[bin]; }
  std::uint64_t visible(std::size_t bin) const { return visible_[bin]; }
  void merge(const TVisibility& other);

 private:
  std::vector<std::uint64_t> reads_ = std::vector<std::uint64_t>(bin_edges().size());
  std::vector<std::uint64_t> visible_ = std::vector<std::uint64_t>(bin_edges().size());
};

// What happened in the current sample interval of the time series (all of the run, warm-up
// included), reset at every sample. The histograms are coarse (5 bits: < 3.2% error) and keep
// their counters across resets, so a sample costs no allocation once the run has settled.
struct IntervalStats {
  std::uint64_t answered = 0;
  std::uint64_t failed = 0;
  LogHistogram read_latency{5};
  // Per outcome the client was answered with (static, read hit and miss, sync write, async ack).
  std::array<LogHistogram, static_cast<std::size_t>(Outcome::kCount)> latency = per_outcome();

  void reset() {
    answered = failed = 0;
    read_latency.reset();
    for (LogHistogram& h : latency) h.reset();
  }

 private:
  static std::array<LogHistogram, static_cast<std::size_t>(Outcome::kCount)> per_outcome() {
    static_assert(static_cast<std::size_t>(Outcome::kCount) == 6, "one histogram per outcome");
    return {LogHistogram{5}, LogHistogram{5}, LogHistogram{5},
            LogHistogram{5}, LogHistogram{5}, LogHistogram{5}};
  }
};

struct GeoMetrics {
  std::array<LogHistogram, static_cast<std::size_t>(Outcome::kCount)> latency;
  std::array<std::uint64_t, static_cast<std::size_t>(Outcome::kCount)> completed{};
  std::array<std::uint64_t, static_cast<std::size_t>(Operation::kCount)> failed{};
  std::array<std::uint64_t, static_cast<std::size_t>(Operation::kCount)> issued{};
  LogHistogram failed_latency;

  std::array<std::uint64_t, static_cast<std::size_t>(ReadSource::kCount)> reads{};
  std::array<std::uint64_t, static_cast<std::size_t>(ReadSource::kCount)> stale_reads{};
  std::array<std::uint64_t, static_cast<std::size_t>(ReadSource::kCount)> hot_reads{};
  std::array<LogHistogram, static_cast<std::size_t>(ReadSource::kCount)> staleness_age;
  std::uint64_t cache_lookups = 0;

  LogHistogram lag_end_to_end;  // commit at the active master -> applied at a slave of this geo
  LogHistogram lag_slave_hop;   // applied at the shard master -> applied at the slave
  TimeWeightedShare fresh_share;
  TVisibility t_visibility;
};

class Metrics : public ReplicaObserver {
 public:
  Metrics(const Scenario& scenario);

  // Starts the statistics window (the end of the warm-up).
  void start_window(Time now);
  bool recording() const { return recording_; }
  void stop_recording() { recording_ = false; }
  void close(Time now);

  void request_completed(GeoId geo, Outcome outcome, Duration latency);
  // Every answer a client gets, whatever the window (for the time series).
  void answer_observed(GeoId geo, Outcome outcome, bool failed, Duration latency) {
    IntervalStats& s = interval_[geo];
    if (failed) {
      ++s.failed;
      return;
    }
    ++s.answered;
    if (outcome == Outcome::kReadHit || outcome == Outcome::kReadMiss) s.read_latency.record(latency);
    s.latency[static_cast<std::size_t>(outcome)].record(latency);
  }
  IntervalStats& interval(GeoId geo) { return interval_[geo]; }
  void request_issued(GeoId geo, Operation op) {
    if (recording_) ++geos_[geo].issued[static_cast<std::size_t>(op)];
  }
  void request_failed(GeoId geo, Operation op, Duration latency);
  // Invariants every run checks: a read never reaches a master, a write commits only at the
  // active master.
  void read_at_master() { ++reads_at_master_; }
  void commit_off_active_master() { ++commits_off_active_; }
  std::uint64_t reads_at_master() const { return reads_at_master_; }
  std::uint64_t commits_off_active_master() const { return commits_off_active_; }
  void cache_lookup(GeoId geo) {
    if (recording_) ++geos_[geo].cache_lookups;
  }
  // A read served from `source` at `now`: the version it returned against the master's latest.
  void read_served(GeoId geo, ReadSource source, bool hot, std::uint64_t returned_version,
                   std::uint64_t latest_version, Time latest_commit, Time first_missed_commit, Time now);
  void slave_read(std::uint32_t slave_id) {
    if (recording_) ++slave_reads_[slave_id];
  }

  // Adds a replica's keys to its geo's fresh share (slaves serving reads), or takes them out (a
  // slave promoted to shard master).
  void track_fresh_share(Replica& replica);
  void untrack_fresh_share(Replica& replica, Time now);
  void on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) override;
  void on_stale_keys_changed(const Replica& replica, std::int64_t delta, Time now) override;

  const GeoMetrics& geo(GeoId geo) const { return geos_[geo]; }
  const LogHistogram& lag_standby() const { return lag_standby_; }
  const LogHistogram& lag_shard_master() const { return lag_shard_master_; }
  std::uint64_t slave_reads(std::uint32_t slave_id) const { return slave_reads_[slave_id]; }
  void set_slave_count(std::size_t n) { slave_reads_.assign(n, 0); }
  Time window_start() const { return window_start_; }

 private:
  std::vector<GeoMetrics> geos_;
  std::vector<IntervalStats> interval_;
  LogHistogram lag_standby_;
  LogHistogram lag_shard_master_;
  std::vector<std::uint64_t> slave_reads_;
  std::uint64_t reads_at_master_ = 0;
  std::uint64_t commits_off_active_ = 0;
  bool recording_ = false;
  Time window_start_ = 0;
};

}  // namespace shardsim
