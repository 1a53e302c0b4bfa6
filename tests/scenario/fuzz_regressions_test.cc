// Every input in tests/fuzz/regressions/ (crashes the fuzzer found, once fixed, and handcrafted
// nasty inputs) goes through the loader exactly as the fuzz target feeds it (tests/fuzz/
// fuzz_input.h): it must either load or fail with a ScenarioError that lists its issues. Any other
// exception fails the test; a crash or a sanitizer report (build-asan) fails the run.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "fuzz/fuzz_input.h"
#include "shardsim/scenario/errors.h"
#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

std::vector<std::filesystem::path> regression_inputs() {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(SHARDSIM_SOURCE_DIR) + "/tests/fuzz/regressions")) {
    if (entry.is_regular_file() && entry.path().filename() != "README.md") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

enum class Outcome { kLoaded, kRejected };

// Loads `input` as the fuzz target does; a ScenarioError must carry issues that each say something.
Outcome load_like_the_fuzzer(const std::string& input) {
  const fuzz::FuzzLoad load = fuzz::split_fuzz_input(input);
  try {
    const Scenario scenario = load_scenario_text(load.text, "fuzz.json", load.options);
    CHECK(!scenario.geos.empty());
    CHECK_NOTHROW(scenario.effective.dump());  // every run writes it
    return Outcome::kLoaded;
  } catch (const ScenarioError& error) {
    REQUIRE(!error.issues().empty());
    for (const auto& issue : error.issues()) {
      CHECK(issue.file == "fuzz.json");
      CHECK(!issue.message.empty());
    }
    CHECK(std::string(error.what()).find("fuzz.json") != std::string::npos);
    return Outcome::kRejected;
  }
}

TEST_CASE("fuzz regressions: every saved input loads or fails with a clean ScenarioError",
          "[scenario][fuzz]") {
  const auto paths = regression_inputs();
  REQUIRE(paths.size() >= 8);
  for (const auto& path : paths) {
    INFO(path.filename().string());
    const std::string input = read_bytes(path);
    // The file name says what to expect: "ok-*" inputs load, all others are rejected.
    const Outcome expected =
        path.filename().string().starts_with("ok-") ? Outcome::kLoaded : Outcome::kRejected;
    Outcome outcome = Outcome::kLoaded;
    CHECK_NOTHROW(outcome = load_like_the_fuzzer(input));
    CHECK(outcome == expected);
  }
}

std::string load_error(std::string_view text, const LoadOptions& options = {}) {
  try {
    load_scenario_text(text, "x.json", options);
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "loaded";
}

// The findings, one by one: before its fix, each was an uncaught exception, a stack overflow or a
// hang (see docs/validation.md, "Fuzzing").
TEST_CASE("fuzz finding: a number too large for a double is a syntax issue at the number",
          "[scenario][fuzz]") {
  CHECK(load_error("{\"geos\": [\"a\"],\n  \"duration_s\": -1e400}") ==
        "x.json:2:17: error: at /: invalid JSON: the number -1e400 is out of range (at most about 1.8e308 in "
        "magnitude)");
  CHECK(load_error("{\"name\": \"1e999\", \"seed\": 1e999}") ==
        "x.json:1:27: error: at /: invalid JSON: the number 1e999 is out of range (at most about 1.8e308 in "
        "magnitude)");
  CHECK(
      load_error("[" + std::string(50, '9') + "e999]") ==
      "x.json:1:2: error: at /: invalid JSON: the number 9999999999999999999999999999999999999999... is out "
      "of range (at most about 1.8e308 in magnitude)");
}

TEST_CASE("fuzz finding: a long string is shortened between characters, not inside one", "[scenario][fuzz]") {
  // 39 ASCII letters, then two-byte characters: byte 40 is inside the first of them.
  const std::string value = std::string(39, 'x') + "\u00e9\u00e9";
  const std::string error = load_error(R"({"geos": ["a"], "workload": {}, "duration_s": ")" + value + "\"}");
  CHECK(error.find("found \"" + std::string(39, 'x') + "\"...") != std::string::npos);
}

TEST_CASE("fuzz finding: a --set that is not UTF-8 is rejected", "[scenario][fuzz]") {
  LoadOptions options;
  options.overrides = {"name=\xff"};
  CHECK(
      load_error(R"({"geos": ["a"], "workload": {}})", options) ==
      "x.json: error: at /: expected UTF-8 text, found \"name=\xEF\xBF\xBD\" (from --set name=\xEF\xBF\xBD)");
}

TEST_CASE("fuzz finding: no spelling suggestion is searched for a very long name", "[scenario][fuzz]") {
  // Each comparison costs length x length: an unknown geo of 20,000 characters against 20 geos as
  // long took minutes.
  std::string text = R"({"geos": [)";
  for (int i = 0; i < 20; ++i)
    text += (i ? ", \"" : "\"") + std::string(20'000, static_cast<char>('a' + i)) + "\"";
  text += R"(], "workload": {")" + std::string(20'000, 'z') + R"(": {"rate_per_s": 1}}})";
  CHECK(load_error(text).find("unknown geo") != std::string::npos);
}

TEST_CASE("fuzz finding: a very long geo name is too long, and not matched against the pattern",
          "[scenario][fuzz]") {
  // std::regex recurses once per character: a geo name of a megabyte overflowed the stack.
  const std::string name(1'000'000, 'a');
  CHECK(
      load_error(R"({"geos": [")" + name + R"("], "workload": {}})") ==
      "x.json:1:11: error: at /geos/0: expected a string of at most 64 characters, found 1000000 characters");
}

TEST_CASE("fuzz finding: a --set is held to the nesting limit of a file", "[scenario][fuzz]") {
  // The document's checks and copies recurse: 30,000 nested arrays overflowed the stack under ASan.
  const std::string text = R"({"geos": ["a"], "workload": {}})";
  LoadOptions options;
  options.overrides = {"notes=" + std::string(30'000, '[') + std::string(30'000, ']')};
  CHECK(load_error(text, options)
            .starts_with("x.json: error: at /: limit exceeded: at most 64 nested objects and arrays, found "
                         "30000 (from --set notes=[[["));
  std::string path = "a";
  for (int i = 0; i < 99; ++i) path += ".a";
  options.overrides = {path + "=1"};
  CHECK(load_error(text, options) ==
        "x.json: error: at /: limit exceeded: at most 64 nested objects and arrays, found 100 (from --set " +
            path + "=1)");
  // At the limit, and a string that only looks deep, are fine as far as nesting goes.
  options.overrides = {"notes=" + std::string(64, '[') + std::string(64, ']'),
                       "name=" + std::string(100, '[')};
  CHECK(load_error(text, options).find("limit exceeded") == std::string::npos);
}

TEST_CASE("fuzz finding: the distribution of a link is checked like any other", "[scenario][fuzz]") {
  // A link's schema is a union without a discriminator, so the checks skipped its latency, and
  // building the scenario threw std::invalid_argument, with no file or position.
  const std::string geos = R"({"geos": ["a", "b"], "workload": {}, "network": {"links": [)";
  CHECK(load_error(geos + R"({"between": ["a", "b"],
      "latency_ms": {"dist": "lognormal", "median": 80, "p99": 60}}]}})") ==
        "x.json:2:64: error: at /network/links/0/latency_ms/p99: expected p99 >= median (80), found 60");
  CHECK(load_error(geos + R"({"from": "a", "to": "b",
      "latency_ms": {"dist": "uniform", "min": 80, "max": 60}}]}})") ==
        "x.json:2:59: error: at /network/links/0/latency_ms/max: expected max >= min (80), found 60");
}

TEST_CASE("fuzz input directives become --set and --seed overrides", "[scenario][fuzz]") {
  const fuzz::FuzzLoad load = fuzz::split_fuzz_input("//set a.b=1\n//seed 7\n//seed x\n//set c=d\n{}");
  CHECK(load.text == "{}");
  CHECK(load.options.overrides == std::vector<std::string>{"a.b=1", "c=d"});
  REQUIRE(load.options.seed_override.has_value());
  CHECK(*load.options.seed_override == 7);
  CHECK(fuzz::split_fuzz_input("{\"name\": 1}").text == "{\"name\": 1}");
  CHECK(fuzz::split_fuzz_input("//set x=1").text.empty());
}

}  // namespace
}  // namespace shardsim
