// tools/plot_sweep.py draws a metric against a swept parameter with its confidence band, one PNG
// per metric, and refuses a parameter or metric the sweep does not have. Needs python3 with
// matplotlib: skipped (with a warning) where none can import it.
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "support/python.h"

namespace fs = std::filesystem;
using shardsim::testing::python_with_matplotlib;
using shardsim::testing::shell;

TEST_CASE("plot_sweep.py draws each metric against a parameter, with its band", "[plot][sweep]") {
  const std::string python = python_with_matplotlib();
  if (python.empty()) {
    WARN("python3 with matplotlib not found (apt-get install python3-matplotlib): plot_sweep.py not tested");
    return;
  }
  const fs::path dir = fs::temp_directory_path() / ("shardsim-plot-sweep-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // Two parameters; one point with a single replication (no band: empty interval cells).
  std::ofstream(dir / "sweep.csv") << "point,slaves,rate,metric,n,mean,stddev,ci95_low,ci95_high\n"
                                      "0,1,100,/a/p99_ms,3,10,1,8,12\n"
                                      "0,1,100,/b,3,0.9,0.01,0.88,0.92\n"
                                      "1,1,200,/a/p99_ms,3,20,2,15,25\n"
                                      "1,1,200,/b,3,0.8,0.01,0.78,0.82\n"
                                      "2,2,100,/a/p99_ms,1,9,,,\n"
                                      "2,2,100,/b,1,0.95,,,\n"
                                      "3,2,200,/a/p99_ms,3,11,1,9,13\n"
                                      "3,2,200,/b,3,0.85,0.01,0.83,0.87\n";
  const std::string script = std::string(SHARDSIM_SOURCE_DIR) + "/tools/plot_sweep.py";
  const std::string base = python + " '" + script + "' '" + dir.string() + "'";
  REQUIRE(shell(base + " --log-y > /dev/null") == 0);
  CHECK(fs::file_size(dir / "sweep_a_p99_ms.png") > 1000);
  CHECK(fs::file_size(dir / "sweep_b.png") > 1000);
  fs::remove(dir / "sweep_b.png");
  REQUIRE(shell(base + " --x slaves --metric /b > /dev/null") == 0);
  CHECK(fs::exists(dir / "sweep_b.png"));

  CHECK(shell(base + " --x no_such_parameter 2> /dev/null") == 2);
  CHECK(shell(base + " --metric /c 2> /dev/null") == 2);
  CHECK(shell(python + " '" + script + "' /nonexistent 2> /dev/null") == 2);
  fs::remove_all(dir);
}
