#include "shardsim/report/timeseries.h"

#include <fmt/format.h>

#include "shardsim/model/topology.h"

namespace shardsim {

namespace {

// How old the oldest write a copy has not applied is (0 when caught up or detached). For a lapsed
// copy that write is trimmed: the oldest write still held gives a lower bound.
double lag_ms(const Replica& r, Time now) {
  const ReplicationLog& log = r.log();
  if (!r.attached() || r.position() >= log.end()) return 0.0;
  return to_ms(now - log.oldest_missing_commit(r.position()));
}

// The operations whose latency percentiles the time series carries per geo: what a client is
// answered with (an async write's commit happens after its answer and is in report.json only;
// static requests end at the CDN and say nothing of the database).
constexpr Outcome kSeriesOutcomes[] = {Outcome::kReadHit, Outcome::kReadMiss, Outcome::kSyncWrite,
                                       Outcome::kAsyncAck};

// A quantile cell: empty (a gap in the charts) when the interval answered no such operation, so
// a quiet interval does not read as a 0 ms latency.
void append_quantile(std::string& row, const LogHistogram& h, double q) {
  row += ',';
  if (!h.empty()) row += fmt::format("{:.3f}", to_ms(h.quantile(q)));
}

}  // namespace

TimeSeriesWriter::TimeSeriesWriter(Topology& topology, TimeSeriesSinks sinks,
                                   std::function<int()> failures_active)
    : t_(topology), sinks_(sinks), failures_active_(std::move(failures_active)) {
  write_header();
}

void TimeSeriesWriter::emit(const std::string& row) {
  if (sinks_.file) sinks_.file->write(row);
  if (sinks_.text) *sinks_.text += row;
}

void TimeSeriesWriter::write_header() {
  row_ = "time_s";
  for (const std::string& geo : t_.scenario.geos) {
    row_ += fmt::format(",throughput_{0}_per_s,failed_{0}_per_s,read_p99_ms_{0},fresh_share_{0}", geo);
  }
  for (const Replica* r : t_.replicas()) row_ += ",lag_ms_" + r->name();
  for (Node* node : t_.nodes()) row_ += ",queue_" + node->name();
  row_ += ",queue_message_queue,failures_active";
  for (const std::string& geo : t_.scenario.geos) {
    for (Outcome o : kSeriesOutcomes)
      row_ += fmt::format(",{0}_p50_ms_{1},{0}_p99_ms_{1}", outcome_name(o), geo);
  }
  row_ += '\n';
  emit(row_);
}

void TimeSeriesWriter::sample() {
  const Time now = t_.sim.now();
  const double interval_s = to_s(now - last_sample_);
  last_sample_ = now;
  row_ = fmt::format("{:.3f}", to_s(now));
  for (GeoId g = 0; g < t_.scenario.geos.size(); ++g) {
    IntervalStats& s = t_.metrics.interval(g);
    const double per_s = interval_s > 0 ? 1.0 / interval_s : 0.0;
    row_ += fmt::format(",{:.1f},{:.1f},{:.3f},{:.5f}", static_cast<double>(s.answered) * per_s,
                        static_cast<double>(s.failed) * per_s, to_ms(s.read_latency.quantile(0.99)),
                        t_.metrics.geo(g).fresh_share.share());
  }
  for (const Replica* r : t_.replicas()) row_ += fmt::format(",{:.3f}", lag_ms(*r, now));
  for (Node* node : t_.nodes()) row_ += fmt::format(",{}", node->queued());
  row_ += fmt::format(",{},{}", t_.queue->depth(), failures_active_());
  for (GeoId g = 0; g < t_.scenario.geos.size(); ++g) {
    IntervalStats& s = t_.metrics.interval(g);
    for (Outcome o : kSeriesOutcomes) {
      const LogHistogram& h = s.latency[static_cast<std::size_t>(o)];
      append_quantile(row_, h, 0.50);
      append_quantile(row_, h, 0.99);
    }
    s.reset();
  }
  row_ += '\n';
  emit(row_);
}

}  // namespace shardsim
