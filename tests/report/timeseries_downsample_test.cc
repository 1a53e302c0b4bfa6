// Min/max bucket downsampling of the HTML report's time series (issue 19): the page holds at most
// kHtmlMaxPointsPerSeries points per series, a one-sample spike or dip survives, time stays in
// order, and a long run's page stays small.
#include "shardsim/report/timeseries_downsample.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "support/html_page_data.h"
#include "support/run_binary.h"

namespace shardsim {
namespace {

namespace fs = std::filesystem;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// `rows` samples a second apart: a flat series with a spike and a dip, and a ramp.
TimeSeriesColumns long_series(std::size_t rows, std::size_t spike_at, std::size_t dip_at) {
  TimeSeriesColumns series;
  series.names = {"time_s", "lag_ms_x", "ramp"};
  series.values.resize(3);
  for (std::size_t row = 0; row < rows; ++row) {
    series.values[0].push_back(static_cast<double>(row + 1));
    series.values[1].push_back(row == spike_at ? 1000.0 : row == dip_at ? -5.0 : 1.0);
    series.values[2].push_back(static_cast<double>(row));
  }
  return series;
}

TEST_CASE("a short series is kept as it is", "[report][html]") {
  const TimeSeriesColumns series = long_series(2000, 10, 20);
  const DownsampledSeries shown = downsample_min_max(series, 2000);
  CHECK(shown.bucket_rows == 1);
  CHECK(shown.source_rows == 2000);
  CHECK(shown.columns.values == series.values);
  CHECK_THROWS_AS(downsample_min_max(series, 1), std::invalid_argument);
}

TEST_CASE("a long series keeps at most the cap, its spikes and dips, in time order", "[report][html]") {
  for (const std::size_t rows : {2001, 2002, 2003, 10000, 86400}) {
    INFO("rows " << rows);
    const std::size_t spike = rows / 3 + 1, dip = rows - 2;
    const DownsampledSeries shown = downsample_min_max(long_series(rows, spike, dip), 2000);
    REQUIRE(shown.bucket_rows > 1);
    CHECK(shown.source_rows == rows);
    const std::vector<double>& time = shown.columns.values[0];
    CHECK(shown.columns.rows() <= 2000);
    CHECK(shown.columns.rows() >= 1000);
    CHECK(time.front() == 1.0);
    CHECK(time.back() == static_cast<double>(rows));
    CHECK(std::is_sorted(time.begin(), time.end()));
    const std::vector<double>& lag = shown.columns.values[1];
    CHECK(*std::max_element(lag.begin(), lag.end()) == 1000.0);  // the one-sample spike survives
    CHECK(*std::min_element(lag.begin(), lag.end()) == -5.0);    // and so does the dip
    // The spike stands within its bucket's span of time.
    const std::size_t at = static_cast<std::size_t>(std::find(lag.begin(), lag.end(), 1000.0) - lag.begin());
    const double spike_time = static_cast<double>(spike + 1);
    CHECK(time[at] <= spike_time + static_cast<double>(shown.bucket_rows));
    CHECK(time[at] >= spike_time - static_cast<double>(shown.bucket_rows));
    // A ramp keeps its ends and stays in order (each bucket's low before its high).
    const std::vector<double>& ramp = shown.columns.values[2];
    CHECK(ramp.front() == 0.0);
    CHECK(ramp.back() == static_cast<double>(rows - 1));
    CHECK(std::is_sorted(ramp.begin(), ramp.end()));
  }
}

TEST_CASE("downsampling keeps the order of a bucket's extremes and skips empty cells", "[report][html]") {
  TimeSeriesColumns series;
  series.names = {"time_s", "falling", "gaps"};
  series.values.resize(3);
  for (int row = 0; row < 8; ++row) {
    series.values[0].push_back(row);
    series.values[1].push_back(100 - row);
    // The first bucket (rows 0-3) holds nothing; the second one value among gaps.
    series.values[2].push_back(row == 6 ? 7.0 : kNaN);
  }
  const DownsampledSeries shown = downsample_min_max(series, 4);  // 2 buckets of 4 rows
  REQUIRE(shown.bucket_rows == 4);
  CHECK(shown.columns.values[0] == std::vector<double>{0, 3, 4, 7});
  CHECK(shown.columns.values[1] == std::vector<double>{100, 97, 96, 93});  // the high first: it came first
  CHECK(std::isnan(shown.columns.values[2][0]));
  CHECK(std::isnan(shown.columns.values[2][1]));
  CHECK(shown.columns.values[2][2] == 7.0);
  CHECK(shown.columns.values[2][3] == 7.0);
}

TEST_CASE("a long run's HTML page holds at most the cap per series and says so", "[report][html][cli]") {
  const fs::path dir = testing::fresh_directory("html-long");
  // 30 simulated seconds sampled every 5 ms: 6,000 rows in timeseries.csv.
  const std::string page = (dir / "long.html").string();
  const auto run = testing::run_shardsim("run " + testing::source_path("scenarios/seed.json") +
                                         " --set duration_s=30 --set report.warmup_s=2"
                                         " --set report.sample_interval_s=0.005 --quiet --out " +
                                         (dir / "out").string() + " --html " + page);
  REQUIRE(run.exit_code == 0);
  const std::string html = testing::read_file(page);
  const nlohmann::json data = nlohmann::json::parse(testing::embedded_page_data(html));
  const nlohmann::json& ts = data["timeseries"];
  CHECK(ts["downsampled"]["source_rows"] == 6000);
  CHECK(ts["downsampled"]["max_points"] == kHtmlMaxPointsPerSeries);
  for (const auto& column : ts["values"]) CHECK(column.size() <= kHtmlMaxPointsPerSeries);
  // The CSV keeps every sample; the page is bounded (at one row per sample it would be ~3 times
  // larger than this bound).
  const std::string csv = testing::read_file(dir / "out" / "timeseries.csv");
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 6001);
  CHECK(html.size() < 900'000);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shardsim
