// shardsim sweep and merge through the real binary: -j independence, resume, --index runs merged
// into the same CSV as a local sweep, the emitted GNU parallel jobs, and bad input.
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/run_binary.h"

using shardsim::testing::read_file;
using shardsim::testing::run_shardsim;
using shardsim::testing::source_path;

namespace {

// Per process: other build directories may run these tests at the same time.
std::filesystem::path fresh_directory(const std::string& name) {
  return shardsim::testing::fresh_directory(name + "-" + std::to_string(::getpid()));
}

// Two points x two replications of a 3-second, low-rate seed scenario (a fraction of a second).
std::string write_tiny_sweep(const std::filesystem::path& dir) {
  const std::string path = (dir / "tiny.json").string();
  std::ofstream(path) << R"({
    "base": ")" << source_path("scenarios/seed.json")
                      << R"(",
    "set": {"duration_s": 3, "report.warmup_s": 1, "workload.usa.rate_per_s": 100},
    "parameters": {"workload.india.rate_per_s": [100, 200]},
    "replications": 2, "seed": 3,
    "metrics": ["/requests/india/latency/read_hit/p99_ms", "/eighty_twenty/india/slave_data_ratio/fresh_share_mean"]
  })";
  return path;
}

}  // namespace

TEST_CASE("sweep results do not depend on -j", "[sweep]") {
  const auto dir = fresh_directory("sweep-jobs");
  const std::string sweep = write_tiny_sweep(dir);
  const auto one = run_shardsim("sweep " + sweep + " -j 1 --out " + (dir / "j1").string());
  REQUIRE(one.exit_code == 0);
  const auto two = run_shardsim("sweep " + sweep + " -j 2 --out " + (dir / "j2").string());
  REQUIRE(two.exit_code == 0);
  CHECK(one.out == two.out);
  const std::string csv = read_file(dir / "j1" / "sweep.csv");
  CHECK(csv.starts_with("point,workload.india.rate_per_s,metric,n,mean,stddev,ci95_low,ci95_high\n0,100,"));
  CHECK(csv == read_file(dir / "j2" / "sweep.csv"));
  CHECK(read_file(dir / "j1" / "sweep.json") == read_file(dir / "j2" / "sweep.json"));
  for (int i = 0; i < 4; ++i) {
    const std::string run = "run-" + std::to_string(i) + "/report.json";
    CHECK(read_file(dir / "j1" / run) == read_file(dir / "j2" / run));
  }
}

TEST_CASE("sweep --list numbers the runs; --index N equals shardsim run with the point and seed", "[sweep]") {
  const auto dir = fresh_directory("sweep-index");
  const std::string sweep = write_tiny_sweep(dir);
  const auto list = run_shardsim("sweep " + sweep + " --list");
  REQUIRE(list.exit_code == 0);
  CHECK(list.out.find("run 3    point 1    replication 1   seed 4      workload.india.rate_per_s=200\n") !=
        std::string::npos);
  REQUIRE(run_shardsim("sweep " + sweep + " --index 3 --out " + (dir / "out").string()).exit_code == 0);
  REQUIRE(run_shardsim("run " + source_path("scenarios/seed.json") +
                       " --set duration_s=3 --set report.warmup_s=1 --set workload.usa.rate_per_s=100"
                       " --set workload.india.rate_per_s=200 --seed 4 -q --out " +
                       (dir / "single").string())
              .exit_code == 0);
  CHECK(read_file(dir / "out" / "run-3" / "report.json") == read_file(dir / "single" / "report.json"));
  CHECK(!std::filesystem::exists(dir / "out" / "run-0"));
}

TEST_CASE("a rerun reuses the runs whose report.json exists", "[sweep]") {
  const auto dir = fresh_directory("sweep-resume");
  const std::string sweep = write_tiny_sweep(dir);
  const std::string out = (dir / "out").string();
  REQUIRE(run_shardsim("sweep " + sweep + " --index 0 --out " + out).exit_code == 0);
  // Plant a marker in run 0's report: the rerun must aggregate it rather than rerun run 0.
  const auto report_path = dir / "out" / "run-0" / "report.json";
  nlohmann::json report = nlohmann::json::parse(read_file(report_path));
  report["eighty_twenty"]["india"]["slave_data_ratio"]["fresh_share_mean"] = 1234.5;
  std::ofstream(report_path) << report.dump(2);
  const auto rerun = run_shardsim("sweep " + sweep + " -j 2 --out " + out);
  REQUIRE(rerun.exit_code == 0);
  const nlohmann::json table = nlohmann::json::parse(read_file(dir / "out" / "sweep.json"));
  const nlohmann::json& fresh = table["rows"][1];
  REQUIRE(fresh["metric"] == "/eighty_twenty/india/slave_data_ratio/fresh_share_mean");
  CHECK(fresh["mean"].get<double>() > 600);  // (1234.5 + a share <= 1) / 2
  CHECK(nlohmann::json::parse(read_file(
            report_path))["eighty_twenty"]["india"]["slave_data_ratio"]["fresh_share_mean"] == 1234.5);
}

TEST_CASE("merging runs made with --index gives the local sweep's CSV", "[sweep]") {
  const auto dir = fresh_directory("sweep-merge");
  const std::string sweep = write_tiny_sweep(dir);
  REQUIRE(run_shardsim("sweep " + sweep + " -j 2 --out " + (dir / "local").string()).exit_code == 0);
  const std::string jobs = (dir / "jobs").string();
  REQUIRE(run_shardsim("sweep " + sweep + " --emit-jobs " + jobs).exit_code == 0);
  CHECK(run_shardsim("merge " + jobs + " --out " + jobs).exit_code == 2);  // no runs yet
  for (int i = 3; i >= 0; --i) {
    REQUIRE(run_shardsim("sweep " + sweep + " --index " + std::to_string(i) + " --out " + jobs).exit_code ==
            0);
  }
  const auto merged = run_shardsim("merge " + jobs + " --out " + jobs);
  INFO(merged.out);
  REQUIRE(merged.exit_code == 0);
  CHECK(read_file(dir / "jobs" / "sweep.csv") == read_file(dir / "local" / "sweep.csv"));
  CHECK(read_file(dir / "jobs" / "sweep.json") == read_file(dir / "local" / "sweep.json"));
  const std::string job_lines = read_file(dir / "jobs" / "jobs.txt");
  CHECK(job_lines.find(" sweep " + sweep + " --index 3 --out " + jobs + "\n") != std::string::npos);
  CHECK(read_file(dir / "jobs" / "slurm_array.sh").find("#SBATCH --array=0-3\n") != std::string::npos);
  CHECK(read_file(dir / "jobs" / "run_parallel.sh").find("--sshloginfile") != std::string::npos);
}

// Under the engine it targets: GNU parallel (tools/packages.txt) runs every job of jobs.txt (its
// job log says so), then the merge gives the local sweep's files and page byte for byte. Parallel
// missing fails the test, as Chromium does the browser checks: it never skips.
TEST_CASE("the emitted GNU parallel script runs under parallel and merges to the local sweep", "[sweep]") {
  REQUIRE(std::system("parallel --version > /dev/null 2>&1") == 0);  // apt-get install parallel
  const auto dir = fresh_directory("sweep-parallel");
  const std::string sweep = write_tiny_sweep(dir);
  const std::string local = (dir / "local").string(), jobs = (dir / "jobs").string();
  REQUIRE(run_shardsim("sweep " + sweep + " -j 1 --out " + local + " --html " + (dir / "local.html").string())
              .exit_code == 0);
  REQUIRE(run_shardsim("sweep " + sweep + " --emit-jobs " + jobs).exit_code == 0);
  const std::string log = (dir / "joblog.tsv").string();
  const std::string script = jobs + "/run_parallel.sh -j 2 --joblog " + log + " > /dev/null 2>&1";
  REQUIRE(std::system(script.c_str()) == 0);
  // The job log: a header, then one line per job, each with exit value 0 (the 7th column).
  std::ifstream joblog(log);
  std::string line;
  std::getline(joblog, line);
  CHECK(line.starts_with("Seq\tHost\tStarttime"));
  int jobs_run = 0;
  while (std::getline(joblog, line)) {
    ++jobs_run;
    std::size_t column = 0;
    for (int tab = 0; tab < 6; ++tab) column = line.find('\t', column) + 1;
    CHECK(line.substr(column, 2) == "0\t");
    CHECK(line.find(" sweep " + sweep + " --index ") != std::string::npos);
  }
  CHECK(jobs_run == 4);
  CHECK(read_file(dir / "jobs" / "sweep.csv") == read_file(dir / "local" / "sweep.csv"));
  CHECK(read_file(dir / "jobs" / "sweep.json") == read_file(dir / "local" / "sweep.json"));
  for (int i = 0; i < 4; ++i) {
    const std::string run = "run-" + std::to_string(i) + "/report.json";
    CHECK(read_file(dir / "jobs" / run) == read_file(dir / "local" / run));
  }
  REQUIRE(run_shardsim("report " + jobs).exit_code == 0);
  CHECK(read_file(dir / "jobs" / "report.html") == read_file(dir / "local.html"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("bad sweeps and usage exit 2 with the problem", "[sweep]") {
  const auto dir = fresh_directory("sweep-bad");
  const std::string sweep = write_tiny_sweep(dir);
  CHECK(run_shardsim("sweep --help").exit_code == 0);
  CHECK(run_shardsim("merge --help").exit_code == 0);
  CHECK(run_shardsim("sweep").exit_code == 2);
  CHECK(run_shardsim("sweep " + sweep + " --index 1").exit_code == 2);  // needs --out
  CHECK(run_shardsim("sweep " + sweep + " --index 4 --out " + (dir / "o").string()).exit_code == 2);
  const std::string bad = (dir / "bad.json").string();
  std::ofstream(bad) << R"({"base": "seed.json", "parameters": {"x": 1}, "metrics": ["/a"]})";
  const auto result = run_shardsim("sweep " + bad + " --list");
  CHECK(result.exit_code == 2);
  CHECK(result.out.find("/parameters/x: expected a non-empty array of values, got 1") != std::string::npos);
  // A value the scenario rejects is reported before anything runs, with the scenario's path.
  const std::string bad_value = (dir / "bad-value.json").string();
  std::ofstream(bad_value) << R"({"base": ")" << source_path("scenarios/seed.json")
                           << R"(", "parameters": {"workload.india.rate_per_s": [-5]}, "metrics": ["/a"]})";
  const auto rejected = run_shardsim("sweep " + bad_value);
  CHECK(rejected.exit_code == 2);
  CHECK(rejected.out.find("/workload/india/rate_per_s") != std::string::npos);
  // A different sweep in the same --out is refused.
  REQUIRE(run_shardsim("sweep " + sweep + " --index 0 --out " + (dir / "o").string()).exit_code == 0);
  std::ofstream(sweep) << R"({"base": ")" << source_path("scenarios/seed.json")
                       << R"(", "parameters": {"workload.india.rate_per_s": [7]}, "metrics": ["/a"]})";
  CHECK(run_shardsim("sweep " + sweep + " --out " + (dir / "o").string()).exit_code == 2);
}

TEST_CASE("a misspelled metric fails before the sweep runs, with the nearest key", "[sweep]") {
  const auto dir = fresh_directory("sweep-bad-metric");
  const std::string path = (dir / "typo.json").string();
  std::ofstream(path) << R"({
    "base": ")" << source_path("scenarios/seed.json")
                      << R"(",
    "set": {"duration_s": 3, "report.warmup_s": 1},
    "parameters": {"workload.india.rate_per_s": [100, 200]},
    "replications": 2,
    "metrics": ["/requests/india/latency/read_mis/p99_ms", "/requests/india/latency/read_hit/p99_ms",
                "/requests/indai/availability", "/requests/india/latency"]
  })";
  const auto result = run_shardsim("sweep " + path + " -j 1 --out " + (dir / "out").string());
  CHECK(result.exit_code == 2);
  INFO(result.out);
  CHECK(result.out.find("metric /requests/india/latency/read_mis/p99_ms: no \"read_mis\" in "
                        "/requests/india/latency; did you mean /requests/india/latency/read_miss?") !=
        std::string::npos);
  CHECK(result.out.find("metric /requests/indai/availability: no \"indai\" in /requests; did you mean "
                        "/requests/india?") != std::string::npos);
  CHECK(result.out.find("/requests/india/latency is an object, not a number") != std::string::npos);
  CHECK(result.out.find("read_hit/p99_ms:") == std::string::npos);
  // Nothing ran.
  CHECK(!std::filesystem::exists(dir / "out" / "run-0"));
  CHECK(result.out.find("warning") == std::string::npos);
  // The fields of a distribution that had no sample in a short run are still metrics: a sweep
  // whose metric is the p99 of failed requests (none in the seed) runs.
  const std::string ok = (dir / "ok.json").string();
  std::ofstream(ok) << R"({
    "base": ")" << source_path("scenarios/seed.json")
                    << R"(",
    "set": {"duration_s": 3, "report.warmup_s": 1},
    "parameters": {"workload.india.rate_per_s": [100]},
    "replications": 2,
    "metrics": ["/requests/india/failed_latency/p99_ms", "/requests/india/availability"]
  })";
  CHECK(run_shardsim("sweep " + ok + " -j 1").exit_code == 0);
}
