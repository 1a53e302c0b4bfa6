// sweep --find: the one-sided decision of a probe (against a hand computation), the "find" section's
// validation, and the bisection on a metric that equals the probed value (so the exact answer is
// known), through the library and through the command line.
#include <cmath>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "shardsim/sweep/find.h"
#include "support/run_binary.h"

using namespace shardsim::sweep;
using ojson = nlohmann::ordered_json;
using shardsim::testing::run_shardsim;
using shardsim::testing::source_path;

namespace {

FindSpec at_most(double bound, double confidence = 0.95) {
  FindSpec find;
  find.at_most = true;
  find.bound = bound;
  find.confidence = confidence;
  return find;
}

std::string error_of(const ojson& section) {
  try {
    parse_find(section, "s.json");
  } catch (const SweepError& e) {
    return e.what();
  }
  return "";
}

// A sweep of the seed scenario (half a second, low rates) whose metric is the effective scenario's
// India rate: the probed value itself, with no noise, so the boundary is known exactly.
SweepSpec echo_sweep(const std::string& goal, double low, double high, const std::string& condition) {
  return parse_sweep(
      ojson::parse(R"({"base": ")" + source_path("scenarios/seed.json") + R"(",
      "set": {"duration_s": 0.5, "report.warmup_s": 0.1, "workload.usa.rate_per_s": 50},
      "replications": 2,
      "find": {"parameter": "workload.india.rate_per_s", "integer": true, "goal": ")" +
                   goal + R"(", "range": [)" + std::to_string(low) + "," + std::to_string(high) +
                   R"(], "metric": "/scenario/effective/workload/india/rate_per_s", )" + condition + "}}"),
      "/", "echo.json");
}

}  // namespace

TEST_CASE("a probe meets, fails or is unclear by its one-sided Student-t bound", "[sweep][find]") {
  // Samples 1, 2, 3: mean 2, s = 1, t(0.95, 2) = 2.919986, half width 2.919986 / sqrt(3) = 1.685854.
  const Probe p = judge(at_most(5), 10, {1, 2, 3});
  CHECK(p.mean == Approx(2.0));
  CHECK(p.half_width == Approx(1.685854).epsilon(1e-6));
  CHECK(p.verdict == Probe::Verdict::kMeets);                                   // 3.686 <= 5
  CHECK(judge(at_most(3), 10, {1, 2, 3}).verdict == Probe::Verdict::kUnclear);  // 0.314 <= 3 < 3.686
  CHECK(judge(at_most(0.3), 10, {1, 2, 3}).verdict == Probe::Verdict::kFails);  // 0.314 > 0.3
  // A higher confidence widens the bound: t(0.99, 2) = 6.964557.
  CHECK(judge(at_most(5, 0.99), 10, {1, 2, 3}).half_width == Approx(6.964557 / std::sqrt(3.0)).epsilon(1e-6));
  CHECK(judge(at_most(5, 0.99), 10, {1, 2, 3}).verdict == Probe::Verdict::kUnclear);

  FindSpec least = at_most(0);
  least.at_most = false;
  least.bound = 0.3;
  CHECK(judge(least, 10, {1, 2, 3}).verdict == Probe::Verdict::kMeets);  // 0.314 >= 0.3
  least.bound = 3.7;
  CHECK(judge(least, 10, {1, 2, 3}).verdict == Probe::Verdict::kFails);  // 3.686 < 3.7
  // No spread, no doubt.
  CHECK(judge(at_most(2), 10, {2, 2}).verdict == Probe::Verdict::kMeets);
  CHECK(judge(at_most(2), 10, {2, 2}).half_width == 0.0);
}

TEST_CASE("a bad find section names the path and what was expected", "[sweep][find]") {
  const ojson good = ojson::parse(R"({"parameter": "x", "range": [1, 9], "goal": "highest",
                                      "metric": "/requests/india/availability", "at_least": 0.99})");
  CHECK(error_of(good).empty());
  auto with = [&good](const char* key, const ojson& value) {
    ojson copy = good;
    copy[key] = value;
    return error_of(copy);
  };
  CHECK(with("range", {9, 1}).find("/find/range: expected [low, high]") != std::string::npos);
  CHECK(with("goal", "most").find("/find/goal: expected \"highest\" or \"lowest\"") != std::string::npos);
  CHECK(with("at_most", 1).find("exactly one of \"at_most\" and \"at_least\"") != std::string::npos);
  CHECK(with("metric", "requests").find("/find/metric: expected a JSON pointer") != std::string::npos);
  CHECK(with("confidence", 1.5).find("/find/confidence") != std::string::npos);
  CHECK(with("integer", true).empty());
  ojson fractional = good;
  fractional["integer"] = true;
  fractional["range"] = {1.5, 9};
  CHECK(error_of(fractional).find("integer bounds") != std::string::npos);
  CHECK(with("tolerence", 1).find("/find/tolerence: expected one of the keys") != std::string::npos);
  const FindSpec parsed = parse_find(good, "s.json");
  CHECK(parse_find(to_json(parsed), "s.json").tolerance == parsed.tolerance);
  CHECK(parsed.tolerance == Approx(8.0 / 64));
}

TEST_CASE("bisection finds the exact boundary of a noiseless metric", "[sweep][find]") {
  FindOptions options;
  options.jobs = 2;
  SECTION("highest value at most a bound") {
    const FindResult r = find_boundary(echo_sweep("highest", 100, 1000, R"("at_most": 333)"), options);
    REQUIRE(r.answer);
    CHECK(*r.answer == 333);
    CHECK(*r.beyond == 334);
    CHECK(r.probes.size() <= 2 + 10);  // both ends, then about log2(900) halvings
    for (const Probe& p : r.probes) CHECK(p.meets() == (p.value <= 333));
  }
  SECTION("lowest value at least a bound") {
    const FindResult r = find_boundary(echo_sweep("lowest", 100, 1000, R"("at_least": 333)"), options);
    REQUIRE(r.answer);
    CHECK(*r.answer == 333);
    CHECK(*r.beyond == 332);
  }
  SECTION("the whole range meets: the far end, and the boundary may lie beyond") {
    const FindResult r = find_boundary(echo_sweep("highest", 100, 200, R"("at_most": 5000)"), options);
    REQUIRE(r.answer);
    CHECK(*r.answer == 200);
    CHECK_FALSE(r.beyond);
    CHECK(r.conclusion.find("may lie beyond") != std::string::npos);
  }
  SECTION("nothing meets") {
    const FindResult r = find_boundary(echo_sweep("highest", 100, 200, R"("at_most": 50)"), options);
    CHECK_FALSE(r.answer);
    CHECK(r.probes.size() == 1);
    CHECK(r.conclusion.find("No value") != std::string::npos);
  }
}

TEST_CASE("the boundary is printed to the tolerance's precision, rounded towards its side", "[sweep][find]") {
  // Bisection of [500, 8000] at tolerance 100 for "at most 6900" ends between 6886.71875 (meets)
  // and 6945.3125 (fails): printed as 6886 and 6946, not with digits the search never had.
  const auto sweep = [](const std::string& goal, const std::string& condition, double tolerance) {
    return parse_sweep(
        ojson::parse(R"({"base": ")" + source_path("scenarios/seed.json") + R"(",
        "set": {"duration_s": 0.5, "report.warmup_s": 0.1, "workload.usa.rate_per_s": 50},
        "replications": 2,
        "find": {"parameter": "workload.india.rate_per_s", "goal": ")" +
                     goal + R"(", "range": [500, 8000], "tolerance": )" + std::to_string(tolerance) +
                     R"(, "metric": "/scenario/effective/workload/india/rate_per_s", )" + condition + "}}"),
        "/", "echo.json");
  };
  FindOptions options;
  options.jobs = 2;
  const FindResult highest = find_boundary(sweep("highest", R"("at_most": 6900)", 100), options);
  REQUIRE(highest.answer);
  CHECK(*highest.answer == 6886.71875);  // the exact value stays in find.json
  INFO(highest.conclusion);
  CHECK(highest.conclusion.find("confidence is 6886; 6946 does not") != std::string::npos);
  CHECK(highest.conclusion.find("6886.7") == std::string::npos);
  // Lowest: the answer rounds up, the value beyond it down; a tolerance of 0.5 keeps one decimal.
  const FindResult lowest = find_boundary(sweep("lowest", R"("at_least": 6900)", 0.5), options);
  REQUIRE(lowest.answer);
  REQUIRE(lowest.beyond);
  INFO(lowest.conclusion);
  CHECK(lowest.conclusion.find(fmt::format("confidence is {:.1f}; {:.1f} does not",
                                           std::ceil(*lowest.answer * 10) / 10,
                                           std::floor(*lowest.beyond * 10) / 10)) != std::string::npos);
}

TEST_CASE("sweep --find prints the answer and writes find.json; misuse exits 2", "[sweep][find][cli]") {
  const auto dir = shardsim::testing::fresh_directory("find-cli-" + std::to_string(::getpid()));
  const std::string file = (dir / "echo.json").string();
  std::ofstream(file) << to_json(echo_sweep("highest", 100, 1000, R"("at_most": 333)")).dump(2);
  const auto found = run_shardsim("sweep " + file + " --find -j 2 --out " + (dir / "out").string());
  CHECK(found.exit_code == 0);
  CHECK(found.out.find("is 333; 334 does not") != std::string::npos);
  const auto json = nlohmann::json::parse(shardsim::testing::read_file(dir / "out" / "find.json"));
  CHECK(json["answer"] == 333);
  CHECK(json["beyond"] == 334);

  CHECK(run_shardsim("sweep " + file).exit_code == 2);  // find only: the grid needs --find
  CHECK(run_shardsim("sweep " + file + " --find --list").exit_code == 2);
  const auto no_find = run_shardsim("sweep " + source_path("scenarios/sweeps/india-slaves.json") + " --find");
  CHECK(no_find.exit_code == 2);
  CHECK(no_find.out.find("needs a \"find\" section") != std::string::npos);
}
