// The JSON forms of distributions, key popularity and load shapes become the right values.
#include <catch2/catch.hpp>

#include "scenario/scenario_builder.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

TEST_CASE("every distribution form", "[scenario]") {
  CHECK(distribution_from_json(json(2.5)).kind() == Distribution::Kind::kConstant);
  CHECK(distribution_from_json(json(2.5)).mean() == Approx(2.5));
  CHECK(distribution_from_json(json::parse(R"({"dist":"constant","value":3})")).mean() == Approx(3));
  CHECK(distribution_from_json(json::parse(R"({"dist":"uniform","min":1,"max":3})")).mean() == Approx(2));
  CHECK(distribution_from_json(json::parse(R"({"dist":"exponential","mean":4})")).mean() == Approx(4));
  CHECK(distribution_from_json(json::parse(R"({"dist":"normal","mean":5,"stddev":1})")).kind() ==
        Distribution::Kind::kNormal);
  CHECK(distribution_from_json(json::parse(R"({"dist":"lognormal","median":2,"p99":10})")).quantile(0.5) ==
        Approx(2));
  CHECK(distribution_from_json(json::parse(R"({"dist":"pareto","scale":1,"shape":2})")).kind() ==
        Distribution::Kind::kPareto);
  const Distribution empirical =
      distribution_from_json(json::parse(R"({"dist":"empirical","percentiles":[[0,1],[50,2],[100,4]]})"));
  CHECK(empirical.kind() == Distribution::Kind::kEmpirical);
  CHECK(empirical.quantile(0.5) == Approx(2));
}

TEST_CASE("key popularity forms", "[scenario]") {
  const auto zipf = key_popularity_from_json(
      json::parse(R"({"dist":"zipf","exponent":1.1,"placement":"contiguous","salt":0})"), 500);
  CHECK(zipf.law() == KeyPopularity::Law::kZipf);
  CHECK(zipf.key_count() == 500);
  CHECK(zipf.key_index_of_rank(7) == 7);  // contiguous placement
  const auto uniform =
      key_popularity_from_json(json::parse(R"({"dist":"uniform","placement":"scattered","salt":3})"), 10);
  CHECK(uniform.law() == KeyPopularity::Law::kUniform);
}

TEST_CASE("load shape forms", "[scenario]") {
  const auto steps = load_shape_from_json(json::parse(
      R"({"kind":"steps","steps":[{"from_s":10,"multiplier":2},{"from_s":20.5,"multiplier":0.5}]})"));
  CHECK(steps.kind == LoadShapeSpec::Kind::kSteps);
  REQUIRE(steps.steps.size() == 2);
  CHECK(steps.steps[1].first == 20'500'000'000);
  CHECK(steps.steps[1].second == 0.5);
  const auto daily =
      load_shape_from_json(json::parse(R"({"kind":"daily","amplitude":0.3,"period_s":3600,"peak_s":600})"));
  CHECK(daily.kind == LoadShapeSpec::Kind::kDaily);
  CHECK(daily.daily_period == 3600 * kSecond);
  CHECK(daily.daily_peak == 600 * kSecond);
  const auto spike =
      load_shape_from_json(json::parse(R"({"kind":"spike","at_s":30,"length_s":5,"multiplier":4})"));
  CHECK(spike.kind == LoadShapeSpec::Kind::kSpike);
  CHECK(spike.spike_at == 30 * kSecond);
  CHECK(spike.spike_length == 5 * kSecond);
  CHECK(spike.spike_multiplier == 4);
}

TEST_CASE("shards: explicit ranges or an even split", "[scenario]") {
  const auto ranges =
      shards_from_json(json::parse(R"([{"first_key":0,"last_key":4},{"first_key":5,"last_key":9}])"), 0, 10);
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[1].first_key == 5);
  const auto split = shards_from_json(json{{"shard_count", 3}}, 10, 10);
  REQUIRE(split.size() == 3);
  CHECK(split[0].first_key == 10);
  CHECK(split[0].last_key == 12);
  CHECK(split[2].first_key == 16);
  CHECK(split[2].last_key == 19);
}

}  // namespace
}  // namespace shardsim::scenario_internal
