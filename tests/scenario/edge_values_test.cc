// Values at the edges, and the one message each deserves (issue 20 item 11).
#include <filesystem>

#include <catch2/catch.hpp>

#include "shardsim/scenario/errors.h"
#include "shardsim/scenario/loader.h"
#include "support/run_binary.h"
#include "support/test_scenarios.h"

namespace {

using nlohmann::json;

// The pointers of the issues the loader finds in the base test scenario patched with `patch`.
std::vector<std::string> issue_paths(const json& patch) {
  json document = shardsim::testing::base_scenario_json();
  document.merge_patch(patch);
  try {
    shardsim::load_scenario_text(document.dump(), "edge.json");
  } catch (const shardsim::ScenarioError& e) {
    std::vector<std::string> paths;
    for (const auto& issue : e.issues()) paths.push_back(issue.path);
    return paths;
  }
  return {};
}

}  // namespace

TEST_CASE("duration_s 0 is one error, not also a warm-up error", "[scenario][edge]") {
  CHECK(issue_paths({{"duration_s", 0}}) == std::vector<std::string>{"/duration_s"});
  // A warm-up at or past a valid duration is still refused.
  CHECK(issue_paths({{"duration_s", 1}}) == std::vector<std::string>{"/report/warmup_s"});
}

TEST_CASE("integer bounds are exact: keys.first 10^18 + 1 is past its maximum 10^18", "[scenario][edge]") {
  const json one_key = {{"keys", {{"count", 1}}}, {"shards", {{"shard_count", 1}}}};
  json at_limit = one_key, past_limit = one_key;
  at_limit["keys"]["first"] = 1'000'000'000'000'000'000ULL;
  past_limit["keys"]["first"] = 1'000'000'000'000'000'001ULL;
  CHECK(issue_paths(at_limit).empty());
  CHECK(issue_paths(past_limit) == std::vector<std::string>{"/keys/first"});
}

TEST_CASE("run: a trace may go into an --out directory that does not exist yet", "[scenario][edge][cli]") {
  const auto dir = shardsim::testing::fresh_directory("trace-new-out");
  const std::string out = (dir / "not" / "yet").string();
  const auto result = shardsim::testing::run_shardsim(
      "run " + shardsim::testing::source_path("scenarios/seed.json") + " --set duration_s=11 --quiet --out " +
      out + " --trace " + out + "/trace.jsonl");
  CHECK(result.exit_code == 0);
  CHECK(std::filesystem::is_regular_file(out + "/trace.jsonl"));
  CHECK(std::filesystem::is_regular_file(out + "/report.json"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a scenario of millions of values is refused before it is parsed", "[scenario][edge][limits]") {
  json document = shardsim::testing::base_scenario_json();
  document["description"] = "a free-form field padded with numbers";
  document["padding"] = json::array();
  for (int i = 0; i < 2'100'000; ++i) document["padding"].push_back(i % 10);
  try {
    shardsim::load_scenario_text(document.dump(), "big.json");
    FAIL("loaded");
  } catch (const shardsim::ScenarioError& e) {
    REQUIRE(e.issues().size() == 1);  // the limit alone: nothing else is parsed or checked
    CHECK_THAT(e.issues()[0].message, Catch::Contains("limit exceeded: at most 2000000 values"));
    CHECK(e.issues()[0].line == 1);
    CHECK(e.issues()[0].column > 1000);  // where the limit was passed, inside the padding
  }
}

TEST_CASE("random crashes are bounded by how many a run would see", "[scenario][edge][limits]") {
  auto crashes = [](double mean_between_s) {
    return json{{"failures",
                 {{{"kind", "random_crashes"},
                   {"nodes", {"shard_slave_east_1"}},
                   {"time_between_failures_s", {{"dist", "exponential"}, {"mean", mean_between_s}}},
                   {"time_to_repair_s", 0}}}}};
  };
  // 20 s with a crash every 1e-5 s: 2 million expected, over the limit of 100,000.
  CHECK(issue_paths(crashes(1e-5)) == std::vector<std::string>{"/failures/0/time_between_failures_s"});
  // An exponential of mean 0 is refused by its own parameter check, once.
  CHECK(issue_paths(crashes(0)) == std::vector<std::string>{"/failures/0/time_between_failures_s/mean"});
  json constant_zero = crashes(1);
  constant_zero["failures"][0]["time_between_failures_s"] = 0;  // crash again at once, for ever
  CHECK(issue_paths(constant_zero) == std::vector<std::string>{"/failures/0/time_between_failures_s"});
  CHECK(issue_paths(crashes(0.01)).empty());  // 2,000 crashes: fine
}

TEST_CASE("a slow shard master is refused by the loader, not by the run", "[scenario][edge]") {
  // Found by the simulation tester: the loader accepted it and the run then exited 2 with "the
  // topology does not have" the node (a shard master is a replica without a service queue).
  const json slow = json::parse(R"({"failures": [
    {"kind": "slow", "nodes": ["shard_master_global_1"], "at_s": 1, "duration_s": 1, "factor": 2}]})");
  CHECK(issue_paths(slow) == std::vector<std::string>{"/failures/0/nodes/0"});
}

TEST_CASE("requests that could wait at once are bounded up front, by the largest queue",
          "[scenario][limits]") {
  // One gateway with a queue of 10^8 under 10^8 requests a second (issue 20: 5 GB when run).
  const std::string error = shardsim::testing::load_error_of(nlohmann::json::parse(R"({
      "front_end": {"api_gateway": {"servers": 1, "queue_capacity": 100000000, "service_ms": 1000}},
      "workload": {"east": {"rate_per_s": 100000000}}})"));
  CHECK_THAT(error,
             Catch::Contains("at /front_end/api_gateway/queue_capacity: limit exceeded: at most 20000000 "
                             "requests waiting at once"));
  // The same queue at a rate that cannot fill it is fine: the run issues too few requests.
  CHECK(shardsim::testing::load_error_of(nlohmann::json::parse(R"({
      "front_end": {"api_gateway": {"servers": 1, "queue_capacity": 100000000, "service_ms": 1000}}})"))
            .empty());
}
