// `shardsim compare` end to end: the real binary, real files, its exit codes and its table.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "shardsim/report/report_json.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("shardsim-compare-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return (path / name).string();
  }
};

struct Result {
  int exit_code;
  std::string out;
};

// Runs `shardsim compare ARGS`, capturing stdout (stderr to a file of its own).
Result compare(const TempDir& dir, const std::string& args) {
  const std::string out = (dir.path / "stdout.txt").string();
  const std::string command = std::string("'") + SHARDSIM_BINARY + "' compare " + args + " >'" + out +
                              "' 2>'" + (dir.path / "stderr.txt").string() + "'";
  const int status = std::system(command.c_str());
  REQUIRE(WIFEXITED(status));
  std::stringstream text;
  text << std::ifstream(out).rdbuf();
  return {WEXITSTATUS(status), text.str()};
}

json report(double p99_ms, int writes_lost = 0) {
  return json{
      {"format", "shardsim-report"},
      {"version", shardsim::kReportVersion},
      {"invariants", {{"ok", true}}},
      {"requests", {{"usa", {{"availability", 1.0}, {"latency", {{"read_hit", {{"p99_ms", p99_ms}}}}}}}}},
      {"failures", {{"summary", {{"writes_lost", writes_lost}}}}}};
}

}  // namespace

TEST_CASE("shardsim compare exits 0, 1 or 2 and prints the table", "[compare]") {
  TempDir dir;
  const std::string base = dir.write("base.json", report(10).dump());
  const std::string same = dir.write("same.json", report(10).dump(2));
  const std::string worse = dir.write("worse.json", report(15).dump());
  const std::string lost = dir.write("lost.json", report(10, 2).dump());

  Result r = compare(dir, base + " " + same);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("/requests/usa/latency/read_hit/p99_ms") != std::string::npos);
  CHECK(r.out.find("no regression") != std::string::npos);

  r = compare(dir, base + " " + worse);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("REGRESSED") != std::string::npos);
  CHECK(r.out.find("+50.0%") != std::string::npos);

  CHECK(compare(dir, base + " " + lost).exit_code == 1);
  CHECK(compare(dir, worse + " " + base).exit_code == 0);  // better is fine

  const std::string loose =
      dir.write("loose.json", R"({"metrics": {"/requests/*/latency/read_hit/p99_ms": {"relative": 1.0}}})");
  CHECK(compare(dir, base + " " + worse + " --tolerances " + loose).exit_code == 0);
}

TEST_CASE("shardsim compare rejects what it cannot compare with exit 2", "[compare]") {
  TempDir dir;
  const std::string base = dir.write("base.json", report(10).dump());
  const std::string scenario = dir.write("scenario.json", R"({"name": "not a report"})");
  const std::string broken = dir.write("broken.json", "{\"format\": ");
  const std::string bad_tolerances =
      dir.write("tol.json", R"({"metrics": {"/invariants/ok": {"absolute_ms": 1}}})");

  CHECK(compare(dir, base + " " + scenario).exit_code == 2);
  CHECK(compare(dir, broken + " " + base).exit_code == 2);
  CHECK(compare(dir, base + " " + (dir.path / "absent.json").string()).exit_code == 2);
  CHECK(compare(dir, base).exit_code == 2);
  CHECK(compare(dir, base + " " + base + " --tolerances " + bad_tolerances).exit_code == 2);
  CHECK(compare(dir, base + " " + base + " --no-such-option").exit_code == 2);
  CHECK(compare(dir, "--help").exit_code == 0);
}

TEST_CASE("shardsim compare --slo fails a breached threshold, and --format writes JSON and JUnit",
          "[compare][slo]") {
  TempDir dir;
  const std::string base = dir.write("base.json", report(10).dump());
  const std::string same = dir.write("same.json", report(10).dump());
  const std::string tight =
      dir.write("tight.json", R"([{"metric": "/requests/usa/latency/read_hit/p99_ms", "max": 5}])");
  const std::string loose =
      dir.write("loose.json", R"({"slo": [{"metric": "/requests/usa/availability", "min": 0.99}]})");

  Result r = compare(dir, base + " " + same + " --slo " + loose);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("SLOs: met (1 of 1 hold)") != std::string::npos);
  r = compare(dir, base + " " + same + " --slo " + tight);
  CHECK(r.exit_code == 1);  // no regression, but a threshold breached
  CHECK(r.out.find("= 10 (max 5): BREACHED") != std::string::npos);

  r = compare(dir, base + " " + same + " --slo " + tight + " --format json");
  CHECK(r.exit_code == 1);
  const json verdict = json::parse(r.out);
  CHECK(verdict["ok"] == false);
  CHECK(verdict["slo"]["checks"][0]["value"] == 10);
  r = compare(dir, base + " " + same + " --slo " + tight + " --format junit");
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind("<?xml", 0) == 0);
  CHECK(r.out.find("<testsuite name=\"slo\" tests=\"1\" failures=\"1\">") != std::string::npos);
  CHECK(compare(dir, base + " " + same + " --format yaml").exit_code == 2);
  CHECK(compare(dir, base + " " + same + " --slo " + dir.write("bad.json", R"([{"metric": "/a"}])"))
            .exit_code == 2);
}
