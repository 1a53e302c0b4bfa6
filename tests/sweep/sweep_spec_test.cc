// Sweep files: validation, grid and zip expansion, common random numbers, and the statistics.
#include <catch2/catch.hpp>

#include "shardsim/sweep/aggregate.h"
#include "shardsim/sweep/sweep.h"

using namespace shardsim::sweep;
using ojson = nlohmann::ordered_json;

namespace {

ojson grid_document() {
  return ojson::parse(R"({
    "base": "seed.json",
    "parameters": {"workload.india.rate_per_s": [400, 800, 1600],
                   "replication.shard_master_to_slave.batch_interval_ms": [10, 50]},
    "replications": 2, "seed": 5,
    "metrics": ["/requests/india/latency/read_hit/p99_ms"]})");
}

std::string error_of(const ojson& document) {
  try {
    parse_sweep(document, "/sweeps", "s.json");
  } catch (const SweepError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a grid expands in file order, the last parameter varying fastest", "[sweep]") {
  const SweepSpec spec = parse_sweep(grid_document(), "/sweeps", "s.json");
  CHECK(spec.base == "/sweeps/seed.json");
  REQUIRE(point_count(spec) == 6);
  REQUIRE(run_count(spec) == 12);
  const auto runs = expand_runs(spec);
  REQUIRE(runs.size() == 12);
  const std::vector<std::pair<int, int>> expected{{400, 10}, {400, 50},  {800, 10},
                                                  {800, 50}, {1600, 10}, {1600, 50}};
  for (std::size_t p = 0; p < expected.size(); ++p) {
    for (std::uint64_t r = 0; r < 2; ++r) {
      const SweepRun& run = runs[p * 2 + r];
      INFO("run " << run.index);
      CHECK(run.index == p * 2 + r);
      CHECK(run.point == p);
      CHECK(run.replication == r);
      CHECK(run.overrides ==
            std::vector<std::string>{
                "workload.india.rate_per_s=" + std::to_string(expected[p].first),
                "replication.shard_master_to_slave.batch_interval_ms=" + std::to_string(expected[p].second)});
    }
  }
}

TEST_CASE("replication r has seed base + r at every point (common random numbers)", "[sweep]") {
  const SweepSpec spec = parse_sweep(grid_document(), "/sweeps", "s.json");
  for (const SweepRun& run : expand_runs(spec)) CHECK(run.seed == 5 + run.replication);
}

TEST_CASE("zip pairs the lists instead of a grid", "[sweep]") {
  ojson document = grid_document();
  document["zip"] = true;
  document["parameters"]["replication.shard_master_to_slave.batch_interval_ms"] = {10, 50, 90};
  const SweepSpec spec = parse_sweep(document, "/sweeps", "s.json");
  REQUIRE(point_count(spec) == 3);
  CHECK(point_values(spec, 2) == std::vector<nlohmann::json>{1600, 90});
  document["parameters"]["replication.shard_master_to_slave.batch_interval_ms"] = {10, 50};
  CHECK(error_of(document).find("3 values") != std::string::npos);
}

TEST_CASE("a bad sweep file names the path and what was expected", "[sweep]") {
  ojson document = grid_document();
  document.erase("metrics");
  CHECK(error_of(document) ==
        "s.json: /metrics: expected a non-empty array of JSON pointers into report.json");
  document = grid_document();
  document["parameters"]["workload.india.rate_per_s"] = ojson::array();
  CHECK(error_of(document) ==
        "s.json: /parameters/workload.india.rate_per_s: expected a non-empty array of values, got []");
  document = grid_document();
  document["replications"] = 0;
  CHECK(error_of(document) == "s.json: /replications: expected an integer >= 1, got 0");
  document = grid_document();
  document["metrics"] = {"requests/india"};
  CHECK(error_of(document).starts_with("s.json: /metrics/0: expected a JSON pointer"));
  document = grid_document();
  document["replicatoins"] = 3;
  CHECK(error_of(document).starts_with("s.json: /replicatoins: expected one of the keys"));
}

TEST_CASE("the spec round-trips through sweep.spec.json", "[sweep]") {
  ojson document = grid_document();
  document["set"] = {{"duration_s", 3}};
  const SweepSpec spec = parse_sweep(document, "/sweeps", "s.json");
  const SweepSpec again = parse_sweep(to_json(spec), "/elsewhere", "copy");
  CHECK(to_json(again) == to_json(spec));
  CHECK(again.fixed_overrides == std::vector<std::string>{"duration_s=3"});
}

TEST_CASE("mean, sample standard deviation and a Student's t interval", "[sweep]") {
  const Summary s = summarize({1, 2, 3, 4, 5});
  CHECK(s.n == 5);
  CHECK(*s.mean == Approx(3));
  CHECK(*s.stddev == Approx(1.5811).epsilon(1e-4));
  // t(0.975, 4) = 2.7764; half-width 2.7764 * 1.5811 / sqrt(5) = 1.9632.
  CHECK(*s.ci95_low == Approx(3 - 1.9632).epsilon(1e-4));
  CHECK(*s.ci95_high == Approx(3 + 1.9632).epsilon(1e-4));
  const Summary one = summarize({7});
  CHECK(one.n == 1);
  CHECK(*one.mean == 7);
  CHECK(!one.stddev);
  CHECK(!one.ci95_low);
  CHECK(!summarize({}).mean);
}

TEST_CASE("aggregation groups runs by point and renders a tidy CSV", "[sweep]") {
  ojson document = grid_document();
  document["parameters"] = {{"workload.india.rate_per_s", {400, 800}}};
  document["metrics"] = {"/a", "/b"};
  document["replications"] = 2;
  const SweepSpec spec = parse_sweep(document, "/sweeps", "s.json");
  std::vector<nlohmann::json> reports{
      {{"a", 1}, {"b", true}}, {{"a", 3}, {"b", false}}, {{"a", 5}}, {{"a", 5}}};
  const SweepTable table = aggregate(spec, reports);
  const std::string csv = render_csv(table);
  CHECK(
      csv.starts_with("point,workload.india.rate_per_s,metric,n,mean,stddev,ci95_low,ci95_high\n"
                      "0,400,/a,2,2,1.4142135623730951,-10.70620473617"));
  CHECK(csv.find("\n0,400,/b,2,0.5,0.7071067811865476,-5.8531023680873") != std::string::npos);
  CHECK(csv.ends_with("\n1,800,/a,2,5,0,5,5\n1,800,/b,0,,,,\n"));
  CHECK(*table.rows[0].summary.ci95_high == Approx(2 + 12.7062047361747));  // t(0.975, 1) = 12.7062
  CHECK(table.warnings.size() == 2);
  // Point 1's /a is 5 in both replications: its interval is 0 wide, and the text says why.
  const std::string text = render_text(table);
  CHECK(text.find("note: +-95% is 0 in 1 row: every replication gave the same value") != std::string::npos);
}

TEST_CASE("a sweep whose replications differ prints no zero-width note", "[sweep]") {
  ojson document = grid_document();
  document["parameters"] = {{"workload.india.rate_per_s", {400}}};
  document["metrics"] = {"/a"};
  document["replications"] = 2;
  const SweepSpec spec = parse_sweep(document, "/sweeps", "s.json");
  const SweepTable table = aggregate(spec, {{{"a", 1}}, {{"a", 2}}});
  CHECK(render_text(table).find("note:") == std::string::npos);
}
