#include "shardsim/model/metrics.h"

#include <algorithm>

namespace shardsim {

const char* read_source_name(ReadSource source) {
  return source == ReadSource::kCache ? "cache" : "slave";
}

// ---- TimeWeightedShare ----

void TimeWeightedShare::advance(Time now) {
  if (!window_started_ || now <= last_) {
    last_ = std::max(last_, now);
    return;
  }
  const double s = share();
  area_ += s * static_cast<double>(now - last_);
  if (s < target_) below_ += now - last_;
  last_ = now;
}

void TimeWeightedShare::change(std::int64_t delta_bad, Time now) {
  advance(now);
  bad_ = static_cast<std::uint64_t>(static_cast<std::int64_t>(bad_) + delta_bad);
  if (window_started_) min_ = std::min(min_, share());
}

void TimeWeightedShare::start_window(Time now) {
  window_started_ = true;
  window_start_ = now;
  last_ = now;
  area_ = 0;
  below_ = 0;
  min_ = share();
}

double TimeWeightedShare::mean() const {
  const double span = static_cast<double>(last_ - window_start_);
  return window_started_ && span > 0 ? area_ / span : share();
}

double TimeWeightedShare::fraction_below_target() const {
  const double span = static_cast<double>(last_ - window_start_);
  return span > 0 ? static_cast<double>(below_) / span : 0.0;
}

// ---- TVisibility ----

const std::vector<Duration>& TVisibility::bin_edges() {
  static const std::vector<Duration> edges = [] {
    std::vector<Duration> e;
    for (double ms : {0.0, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 150.0, 200.0, 300.0, 500.0, 1000.0, 2000.0,
                      5000.0, 10000.0, 30000.0, 60000.0}) {
      e.push_back(from_ms(ms));
    }
    return e;
  }();
  return edges;
}

void TVisibility::record(Duration since_commit, bool visible) {
  const auto& edges = bin_edges();
  const std::size_t bin =
      static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), since_commit) - edges.begin()) -
      1;
  ++reads_[bin];
  if (visible) ++visible_[bin];
}

void TVisibility::merge(const TVisibility& other) {
  for (std::size_t i = 0; i < reads_.size(); ++i) {
    reads_[i] += other.reads_[i];
    visible_[i] += other.visible_[i];
  }
}

// ---- Metrics ----

Metrics::Metrics(const Scenario& scenario) : geos_(scenario.geos.size()), interval_(scenario.geos.size()) {
  for (GeoMetrics& g : geos_) g.fresh_share.configure(scenario.report.fresh_share_target);
}

void Metrics::start_window(Time now) {
  recording_ = true;
  window_start_ = now;
  for (GeoMetrics& g : geos_) g.fresh_share.start_window(now);
}

void Metrics::close(Time now) {
  for (GeoMetrics& g : geos_) g.fresh_share.close(now);
}

void Metrics::request_completed(GeoId geo, Outcome outcome, Duration latency) {
  if (!recording_) return;
  const auto i = static_cast<std::size_t>(outcome);
  ++geos_[geo].completed[i];
  geos_[geo].latency[i].record(latency);
}

void Metrics::request_failed(GeoId geo, Operation op, Duration latency) {
  if (!recording_) return;
  ++geos_[geo].failed[static_cast<std::size_t>(op)];
  geos_[geo].failed_latency.record(latency);
}

void Metrics::read_served(GeoId geo, ReadSource source, bool hot, std::uint64_t returned_version,
                          std::uint64_t latest_version, Time latest_commit, Time first_missed_commit,
                          Time now) {
  if (!recording_) return;
  GeoMetrics& g = geos_[geo];
  const auto s = static_cast<std::size_t>(source);
  ++g.reads[s];
  if (hot) ++g.hot_reads[s];
  const bool stale = returned_version < latest_version;
  if (stale) {
    ++g.stale_reads[s];
    g.staleness_age[s].record(now - first_missed_commit);
  }
  // PBS t-visibility: did the read see the latest write committed before it, t after that commit?
  if (latest_version > 0) g.t_visibility.record(now - latest_commit, !stale);
}

void Metrics::track_fresh_share(Replica& replica) {
  replica.set_in_fresh_share(true);
  geos_[replica.geo()].fresh_share.add_keys(replica.key_count(), replica.stale_keys());
}

void Metrics::untrack_fresh_share(Replica& replica, Time now) {
  if (!replica.in_fresh_share()) return;
  replica.set_in_fresh_share(false);
  geos_[replica.geo()].fresh_share.remove_keys(replica.key_count(), replica.stale_keys(), now);
}

void Metrics::on_stale_keys_changed(const Replica& replica, std::int64_t delta, Time now) {
  if (replica.in_fresh_share()) geos_[replica.geo()].fresh_share.change(delta, now);
}

void Metrics::on_applied(const Replica& replica, LogPosition from, LogPosition to, Time now) {
  if (!recording_) return;
  const ReplicationLog& log = replica.log();
  for (LogPosition p = from; p < to; ++p) {
    const ReplicationLog::Entry& entry = log.at(p);
    if (entry.committed < window_start_) continue;  // written during the warm-up
    const Duration lag = now - entry.committed;
    switch (replica.role()) {
      case ReplicaRole::kStandbyMaster:
        lag_standby_.record(lag);
        break;
      case ReplicaRole::kShardMaster:
        lag_shard_master_.record(lag);
        break;
      case ReplicaRole::kShardSlave: {
        GeoMetrics& g = geos_[replica.geo()];
        g.lag_end_to_end.record(lag);
        if (entry.shard_master_applied <= now) g.lag_slave_hop.record(now - entry.shard_master_applied);
        break;
      }
    }
  }
}

}  // namespace shardsim
