// tools/plot_report.py renders every plot from a real run's output, and copes with a time series
// that lacks columns and with failures in the timeline. Needs python3 with matplotlib: skipped
// (with a warning) where neither `python3` nor the system's /usr/bin/python3 can import it.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/python.h"
#include "support/test_scenarios.h"

namespace fs = std::filesystem;
using nlohmann::json;
using shardsim::testing::python_with_matplotlib;
using shardsim::testing::shell;

namespace {

std::string read_text(const fs::path& path) {
  std::stringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("plot_report.py draws a run's report and time series", "[plot]") {
  const std::string python = python_with_matplotlib();
  if (python.empty()) {
    WARN("python3 with matplotlib not found (apt-get install python3-matplotlib): plot script not tested");
    return;
  }
  const fs::path dir = fs::temp_directory_path() / ("shardsim-plot-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path run = dir / "run";

  // A short real run.
  json scenario = shardsim::testing::base_scenario_json();
  scenario["duration_s"] = 3;
  std::ofstream(dir / "scenario.json") << scenario.dump();
  const int run_status = shell(std::string("'") + SHARDSIM_BINARY + "' run '" +
                               (dir / "scenario.json").string() + "' --quiet --out '" + run.string() + "'");
  REQUIRE((run_status == 0 || run_status == 1));  // 1: an invariant failed, still a report
  REQUIRE(fs::exists(run / "report.json"));

  // One python run keeps the test fast, so the output is roughened in place: failures in the
  // timeline (one never ends), and a time series with a row of missing cells, or, from a shardsim
  // that writes none, a hand-made one lacking most columns.
  json report = json::parse(read_text(run / "report.json"));
  report["failures"]["timeline"] = json::parse(R"([
    {"at_s": 0.5, "event": "crash", "node": "shard_slave_west_1", "detail": ""},
    {"at_s": 1.0, "event": "declared_down", "node": "shard_slave_west_1", "detail": ""},
    {"at_s": 1.5, "event": "recover", "node": "shard_slave_west_1", "detail": ""},
    {"at_s": 2.0, "event": "partition", "node": "east<->west", "detail": "messages held"}])");
  std::ofstream(run / "report.json") << report.dump();
  if (fs::exists(run / "timeseries.csv")) {
    std::ofstream(run / "timeseries.csv", std::ios::app) << "3.5,,nan\n";
  } else {
    std::ofstream(run / "timeseries.csv")
        << "time_s,throughput_east_per_s,lag_ms_shard_slave_west_1,failures_active\n"
           "1,190,12.5,0\n2,,40,1\n3,201,nan,1\n";
  }

  const fs::path script = fs::path(SHARDSIM_SOURCE_DIR) / "tools" / "plot_report.py";
  const std::string command = python + " '" + script.string() + "' '" + run.string() + "' >'" +
                              (dir / "out.txt").string() + "' 2>'" + (dir / "err.txt").string() + "'";
  const int status = shell(command);
  INFO(read_text(dir / "err.txt"));
  REQUIRE(status == 0);
  for (const char* png : {"t_visibility.png", "latency.png", "slave_load.png", "lag_over_time.png",
                          "throughput_over_time.png"}) {
    INFO(png);
    CHECK(fs::file_size(run / png) > 1000);
  }
  CHECK(read_text(dir / "out.txt").find("throughput_over_time.png") != std::string::npos);

  fs::remove_all(dir);
}
