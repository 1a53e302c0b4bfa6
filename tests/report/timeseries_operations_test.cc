// timeseries.csv's per-operation latency columns (issue 19): appended after the older columns (whose
// order readers rely on), per geo p50 and p99 of read hit, read miss, sync write and async write ack
// in each sample interval, consistent with the combined read p99, and the same bytes run after run.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "shardsim/report/html_report.h"
#include "support/run_binary.h"

namespace shardsim {
namespace {

using testing::fresh_directory;
using testing::read_file;
using testing::run_shardsim;
using testing::source_path;

const std::vector<std::string> kGeos = {"india", "usa"};  // the seed's, in scenario order
const std::vector<std::string> kOperations = {"read_hit", "read_miss", "sync_write", "async_write_ack"};

std::string seed_timeseries(const std::string& name) {
  const auto dir = fresh_directory(name);
  const auto result = run_shardsim("run " + source_path("scenarios/seed.json") +
                                   " --set duration_s=30 --out " + (dir / "out").string());
  REQUIRE(result.exit_code == 0);
  return read_file(dir / "out" / "timeseries.csv");
}

std::size_t index_of(const TimeSeriesColumns& ts, const std::string& name) {
  const auto it = std::find(ts.names.begin(), ts.names.end(), name);
  REQUIRE(it != ts.names.end());
  return static_cast<std::size_t>(it - ts.names.begin());
}

TEST_CASE("timeseries.csv appends per-operation p50 and p99 per geo after the older columns",
          "[report][timeseries]") {
  const TimeSeriesColumns ts = parse_timeseries_csv(seed_timeseries("ts-ops-columns"));
  // The older layout ends at failures_active; the new columns follow it, geo by geo.
  const std::size_t last_old = index_of(ts, "failures_active");
  std::vector<std::string> expected;
  for (const std::string& geo : kGeos) {
    for (const std::string& op : kOperations) {
      expected.push_back(op + "_p50_ms_" + geo);
      expected.push_back(op + "_p99_ms_" + geo);
    }
  }
  const std::vector<std::string> appended(ts.names.begin() + static_cast<std::ptrdiff_t>(last_old) + 1,
                                          ts.names.end());
  CHECK(appended == expected);
  CHECK(ts.names.front() == "time_s");
  CHECK(ts.names[1] == "throughput_india_per_s");
  CHECK(ts.names[3] == "read_p99_ms_india");
}

TEST_CASE("per-operation interval percentiles are ordered and agree with the combined read p99",
          "[report][timeseries]") {
  const TimeSeriesColumns ts = parse_timeseries_csv(seed_timeseries("ts-ops-values"));
  REQUIRE(ts.rows() >= 25);
  const double tolerance = 1.0 + 1.0 / 32;  // the interval histograms' relative error (5 bits)
  std::size_t filled = 0;
  for (const std::string& geo : kGeos) {
    INFO(geo);
    for (const std::string& op : kOperations) {
      INFO(op);
      const auto& p50 = ts.values[index_of(ts, op + "_p50_ms_" + geo)];
      const auto& p99 = ts.values[index_of(ts, op + "_p99_ms_" + geo)];
      for (std::size_t row = 0; row < ts.rows(); ++row) {
        CHECK(std::isnan(p50[row]) == std::isnan(p99[row]));  // empty together: no such answer
        if (std::isnan(p50[row])) continue;
        ++filled;
        CHECK(p50[row] > 0);
        CHECK(p50[row] <= p99[row]);
      }
    }
    // The reads' p99 of an interval lies between its hits' p99 and its misses' p99.
    const auto& reads = ts.values[index_of(ts, "read_p99_ms_" + geo)];
    const auto& hits = ts.values[index_of(ts, "read_hit_p99_ms_" + geo)];
    const auto& misses = ts.values[index_of(ts, "read_miss_p99_ms_" + geo)];
    for (std::size_t row = 0; row < ts.rows(); ++row) {
      if (std::isnan(hits[row]) || std::isnan(misses[row])) continue;
      INFO("row " << row);
      CHECK(reads[row] <= std::max(hits[row], misses[row]) * tolerance);
      CHECK(reads[row] * tolerance >= std::min(hits[row], misses[row]));
    }
  }
  CHECK(filled > ts.rows() * kGeos.size() * kOperations.size() / 2);
}

TEST_CASE("each operation's interval p50s centre on the window's p50 of that operation in report.json",
          "[report][timeseries]") {
  // The operations' latencies differ by orders of magnitude (a cache hit nearby, a sync write
  // committed in another geo), so a column of the wrong operation is far off.
  const auto dir = fresh_directory("ts-ops-window");
  REQUIRE(run_shardsim("run " + source_path("scenarios/seed.json") + " --set duration_s=30 --out " +
                       (dir / "out").string())
              .exit_code == 0);
  const TimeSeriesColumns ts = parse_timeseries_csv(read_file(dir / "out" / "timeseries.csv"));
  const auto report = nlohmann::json::parse(read_file(dir / "out" / "report.json"));
  for (const std::string& geo : kGeos) {
    for (const std::string& op : kOperations) {
      INFO(geo << " " << op);
      std::vector<double> p50s;
      for (double v : ts.values[index_of(ts, op + "_p50_ms_" + geo)]) {
        if (!std::isnan(v)) p50s.push_back(v);
      }
      REQUIRE(p50s.size() > 10);
      std::nth_element(p50s.begin(), p50s.begin() + static_cast<std::ptrdiff_t>(p50s.size() / 2), p50s.end());
      const double median = p50s[p50s.size() / 2];
      const double window = report["requests"][geo]["latency"][op]["p50_ms"].get<double>();
      CHECK(median <= window * 1.5);
      CHECK(median >= window / 1.5);
    }
  }
}

TEST_CASE("the per-operation columns are the same bytes run after run", "[report][timeseries]") {
  CHECK(seed_timeseries("ts-ops-first") == seed_timeseries("ts-ops-second"));
}

}  // namespace
}  // namespace shardsim
