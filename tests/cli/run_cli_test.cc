// The command line: exit codes (0 success, 1 a check failed, 2 bad usage or input) and
// determinism of the files a run writes.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <tuple>
#include <vector>

#include <catch2/catch.hpp>

#include "support/run_binary.h"

using shardsim::testing::fresh_directory;
using shardsim::testing::read_file;
using shardsim::testing::run_shardsim;
using shardsim::testing::source_path;

namespace {
const std::string kSeed = source_path("scenarios/seed.json");
const std::string kShort = "--set duration_s=6 --set report.warmup_s=1";
}  // namespace

TEST_CASE("help and usage errors have their exit codes", "[cli]") {
  CHECK(run_shardsim("--help").exit_code == 0);
  CHECK(run_shardsim("run --help").exit_code == 0);
  CHECK(run_shardsim("validate --help").exit_code == 0);
  CHECK(run_shardsim("").exit_code == 2);
  const auto unknown = run_shardsim("fly");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.find("unknown command 'fly'") != std::string::npos);
  CHECK(run_shardsim("run").exit_code == 2);
  CHECK(run_shardsim("run " + kSeed + " --no-such-option").exit_code == 2);
}

TEST_CASE("help COMMAND prints that command's help", "[cli]") {
  for (const char* command :
       {"run", "validate", "compare", "explain", "sweep", "merge", "report", "regions"}) {
    INFO(command);
    const auto help = run_shardsim(std::string("help ") + command);
    CHECK(help.exit_code == 0);
    CHECK(help.out == run_shardsim(std::string(command) + " --help").out);
    CHECK(help.out.find(std::string("Usage: shardsim ") + command) != std::string::npos);
  }
  CHECK(run_shardsim("help").out == run_shardsim("--help").out);
  const auto unknown = run_shardsim("help fly");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.out.find("unknown command 'fly'") != std::string::npos);
}

TEST_CASE("a usage error prints one line naming the problem and where the help is", "[cli]") {
  const auto count_lines = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
  for (const auto& [args, problem, command] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"run " + kSeed + " --no-such-option", "no-such-option", "run"},
           {"run", "missing scenario FILE", "run"},
           {"run " + kSeed + " --seed", "seed", "run"},
           {"sweep", "missing sweep FILE", "sweep"},
           {"merge somewhere", "--out", "merge"},
           {"compare one.json", "BASELINE and CURRENT", "compare"},
           {"report", "missing DIR", "report"},
           {"validate", "missing scenario FILE", "validate"}}) {
    INFO(args);
    const auto result = run_shardsim(args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.find(problem) != std::string::npos);
    CHECK(result.out.find("see 'shardsim " + command + " --help'") != std::string::npos);
    CHECK(count_lines(result.out) == 2);
    CHECK(result.out.find("Options:") == std::string::npos);
  }
  // --help itself still prints the whole help.
  const auto help = run_shardsim("run --help");
  CHECK(help.out.find("Usage: shardsim run FILE [options]") != std::string::npos);
  CHECK(help.out.find("Options:") != std::string::npos);
  CHECK(help.out.find("Examples:") != std::string::npos);
}

TEST_CASE("a bad scenario exits 2 with the file and path of the problem", "[cli]") {
  const auto missing = run_shardsim("run /nonexistent/scenario.json");
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.find("/nonexistent/scenario.json") != std::string::npos);
  const auto bad_value = run_shardsim("run " + kSeed + " --set workload.india.rate_per_s=-5");
  CHECK(bad_value.exit_code == 2);
  CHECK(bad_value.out.find("/workload/india/rate_per_s") != std::string::npos);
  CHECK(run_shardsim("validate " + kSeed).exit_code == 0);
  CHECK(run_shardsim("validate " + kSeed + " /nonexistent.json").exit_code == 2);
}

TEST_CASE("a negative or malformed whole-number option is refused by the option parser", "[cli]") {
  // Boost alone wraps "-1" to 2^64-1; the scenario loader then blamed the file's seed.
  for (const std::string& args :
       {"run " + kSeed + " --seed -1", "run " + kSeed + " --seed 12x",
        "run " + kSeed + " --seed 18446744073709551616", "run " + kSeed + " --trace t.jsonl --trace-limit -1",
        "sweep " + source_path("scenarios/sweeps/india-slaves.json") + " -j -1"}) {
    INFO(args);
    const auto result = run_shardsim(args);
    CHECK(result.exit_code == 2);
    CHECK(result.out.find("expected a whole number from 0 to") != std::string::npos);
  }
  // The whole range is a seed, the largest included.
  CHECK(run_shardsim("run " + kSeed + " " + kShort + " -q --seed 18446744073709551615").exit_code == 0);
}

TEST_CASE("the same scenario and seed give byte-identical outputs", "[cli][determinism]") {
  const auto a = fresh_directory("determinism-a");
  const auto b = fresh_directory("determinism-b");
  REQUIRE(run_shardsim("run " + kSeed + " " + kShort + " -q --out " + a.string()).exit_code == 0);
  REQUIRE(run_shardsim("run " + kSeed + " " + kShort + " -q --out " + b.string()).exit_code == 0);
  for (const char* file : {"report.json", "timeseries.csv", "scenario.effective.json"}) {
    INFO(file);
    const std::string first = read_file(a / file);
    CHECK(!first.empty());
    CHECK(first == read_file(b / file));
  }
  // The printed summary too.
  CHECK(run_shardsim("run " + kSeed + " " + kShort).out == run_shardsim("run " + kSeed + " " + kShort).out);
}

TEST_CASE("every shipped scenario prints its summary", "[cli]") {
  // The summary is rendered from the report: every section, for every kind of failover record
  // (the shard master's and the slaves' have no write figures). Short runs; the failures of the
  // failover scenarios fall in the first minute.
  for (const char* name : {"seed", "three-geo", "hot-keys", "write-heavy", "failover-global-master",
                           "failover-shard-master", "failover-partition", "failover-random"}) {
    INFO(name);
    const auto run = run_shardsim("run " + source_path(std::string("scenarios/") + name + ".json") +
                                  " --set duration_s=70 --set report.warmup_s=1 --color never");
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("== Failures and failover ==") != std::string::npos);
    CHECK(run.out.find("exception") == std::string::npos);
  }
  const auto random = run_shardsim("run " + source_path("scenarios/failover-random.json") +
                                   " --set duration_s=70 --set report.warmup_s=1 --color never");
  CHECK(random.out.find("shard_slave") != std::string::npos);
}

TEST_CASE("run --out into a previous run's directory needs --force, which removes the old outputs", "[cli]") {
  const auto dir = fresh_directory("rerun");
  const std::string run = "run " + kSeed + " " + kShort + " -q --out " + dir.string();
  REQUIRE(run_shardsim(run).exit_code == 0);
  REQUIRE(run_shardsim("report " + dir.string()).exit_code == 0);
  REQUIRE(std::filesystem::exists(dir / "report.html"));
  const std::string first = read_file(dir / "report.json");
  // Refused, and nothing touched.
  const auto refused = run_shardsim(run + " --seed 43");
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.find("already holds a run's outputs") != std::string::npos);
  CHECK(refused.out.find("--force") != std::string::npos);
  CHECK(read_file(dir / "report.json") == first);
  // A file shardsim did not write stays.
  { std::ofstream(dir / "mine.txt") << "keep me\n"; }
  for (const char* flag : {"--force", "--overwrite"}) {
    INFO(flag);
    const auto forced = run_shardsim(run + " --seed 43 " + flag);
    CHECK(forced.exit_code == 0);
    CHECK(read_file(dir / "report.json") != first);
    CHECK(read_file(dir / "scenario.effective.json").find("\"seed\": 43") != std::string::npos);
    // The old run's HTML page no longer passes for the new run's.
    CHECK(!std::filesystem::exists(dir / "report.html"));
    CHECK(read_file(dir / "mine.txt") == "keep me\n");
  }
  // A directory without a run's outputs needs no --force.
  const auto other = fresh_directory("rerun-other");
  { std::ofstream(other / "notes.txt") << "x\n"; }
  CHECK(run_shardsim("run " + kSeed + " " + kShort + " -q --out " + other.string()).exit_code == 0);
}

TEST_CASE("the README's merge usage is one that runs", "[cli]") {
  const std::string readme = read_file(source_path("README.md"));
  const std::size_t line = readme.find("\nshardsim merge ");
  REQUIRE(line != std::string::npos);
  const std::string usage = readme.substr(line + 1, readme.find('\n', line + 1) - line - 1);
  CHECK(usage.find("--out DIR") != std::string::npos);
  // `merge DIR` alone is a usage error: --out is required.
  const auto merge = run_shardsim("merge somewhere");
  CHECK(merge.exit_code == 2);
  CHECK(merge.out.find("--out") != std::string::npos);
  const auto help = run_shardsim("--help");
  const std::size_t merge_line = help.out.find("  merge ");
  REQUIRE(merge_line != std::string::npos);
  CHECK(help.out.substr(merge_line, help.out.find('\n', merge_line) - merge_line).find("--out") !=
        std::string::npos);
}

TEST_CASE("a different seed gives a different run", "[cli][determinism]") {
  const auto a = fresh_directory("seed-a");
  const auto b = fresh_directory("seed-b");
  REQUIRE(run_shardsim("run " + kSeed + " " + kShort + " -q --out " + a.string()).exit_code == 0);
  REQUIRE(run_shardsim("run " + kSeed + " " + kShort + " --seed 43 -q --out " + b.string()).exit_code == 0);
  CHECK(read_file(a / "report.json") != read_file(b / "report.json"));
  CHECK(read_file(b / "scenario.effective.json").find("\"seed\": 43") != std::string::npos);
}

TEST_CASE("an interrupted run writes no report", "[cli]") {
  const auto dir = fresh_directory("interrupted");
  // A long run, interrupted after half a second; nothing half-written may remain.
  const std::string command = "timeout --preserve-status -s INT 0.5 " + std::string(SHARDSIM_BINARY) +
                              " run " + kSeed + " --set duration_s=100000 -q --out " + dir.string() + " 2>&1";
  const int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(!std::filesystem::exists(dir / "report.json"));
  CHECK(!std::filesystem::exists(dir / "timeseries.csv"));
  for (const auto& entry : std::filesystem::directory_iterator(dir)) FAIL("left behind: " << entry.path());
}
