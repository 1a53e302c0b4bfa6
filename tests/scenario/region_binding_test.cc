// Geos placed in real regions: the shipped table, the one-way latency derived from it, the
// precedence of explicit links, and the errors of a binding that resolves to nothing.
#include <catch2/catch.hpp>

#include "shardsim/scenario/region_catalog.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::Distribution;
using shardsim::LinkSpec;
using shardsim::Scenario;
using shardsim::testing::load_error_of;

namespace {

const LinkSpec* link_of(const Scenario& s, const std::string& from, const std::string& to) {
  const LinkSpec* found = nullptr;
  for (const LinkSpec& link : s.network.links)
    if (link.from == s.geo_id(from) && link.to == s.geo_id(to)) found = &link;
  return found;
}

}  // namespace

TEST_CASE("the Azure table holds every ordered pair of its regions", "[scenario][regions]") {
  const shardsim::RegionDataset* azure = shardsim::find_region_dataset("azure");
  REQUIRE(azure != nullptr);
  CHECK(azure->regions().size() == 54);
  CHECK(azure->has_region("centralindia"));
  CHECK_FALSE(azure->has_region("central-india"));
  std::size_t pairs = 0;
  for (const std::string& a : azure->regions())
    for (const std::string& b : azure->regions()) pairs += azure->round_trip_ms(a, b).has_value();
  CHECK(pairs == 54 * 53);
  CHECK_FALSE(azure->round_trip_ms("eastus", "eastus").has_value());
  // Two rows of data/regions/azure_rtt_p50_ms.csv, read by hand: the directions differ.
  CHECK(azure->round_trip_ms("centralindia", "eastus") == 201);
  CHECK(azure->round_trip_ms("eastus", "centralindia") == 198);
  CHECK(shardsim::find_region_dataset("aws") == nullptr);
}

TEST_CASE("a region reference is provider:region", "[scenario][regions]") {
  const auto ref = shardsim::parse_region_ref("azure:centralindia");
  REQUIRE(ref);
  CHECK(ref->provider == "azure");
  CHECK(ref->region == "centralindia");
  for (const char* bad : {"azure", ":eastus", "azure:", "a:b:c", ""})
    CHECK_FALSE(shardsim::parse_region_ref(bad));
}

TEST_CASE("two bound geos get half the mean round trip as the median one-way latency",
          "[scenario][regions]") {
  const Scenario s = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"regions": {"east": "azure:eastus", "west": "azure:centralindia"}}})"));
  const LinkSpec* there = link_of(s, "east", "west");
  const LinkSpec* back = link_of(s, "west", "east");
  REQUIRE(there != nullptr);
  REQUIRE(back != nullptr);
  const double median = (201.0 + 198.0) / 4;
  CHECK(there->latency_ms.kind() == Distribution::Kind::kLognormal);
  CHECK(there->latency_ms.quantile(0.5) == Approx(median));
  CHECK(there->latency_ms.quantile(0.99) == Approx(median * shardsim::kDefaultRegionP99OverMedian));
  CHECK(back->latency_ms.quantile(0.5) == Approx(median));
  CHECK_FALSE(there->bandwidth_bytes_per_s);
  CHECK_THAT(there->source,
             Catch::Contains("azure:eastus -> azure:centralindia: round trips 198 and 201 ms"));
  CHECK(link_of(s, "east", "east") == nullptr);  // inside a geo: intra_geo_latency_ms, unchanged
}

TEST_CASE("region_p99_over_median sets the jitter", "[scenario][regions]") {
  const Scenario s = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"regions": {"east": "azure:eastus", "west": "azure:eastus2"}, "region_p99_over_median": 1.5}})"));
  const LinkSpec* link = link_of(s, "east", "west");
  REQUIRE(link != nullptr);
  const double median = (8.0 + 9.0) / 4;  // eastus -> eastus2 8 ms, eastus2 -> eastus 9 ms
  REQUIRE(shardsim::find_region_dataset("azure")->round_trip_ms("eastus2", "eastus") == 9);
  CHECK(link->latency_ms.quantile(0.99) == Approx(median * 1.5));
}

TEST_CASE("an explicit link overrides the table; one without latency adds its bandwidth only",
          "[scenario][regions]") {
  const Scenario overridden = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"regions": {"east": "azure:eastus", "west": "azure:centralindia"},
                "links": [{"from": "east", "to": "west", "latency_ms": 7}]}})"));
  CHECK(link_of(overridden, "east", "west")->latency_ms.mean() == 7);
  CHECK(link_of(overridden, "east", "west")->source == "network.links[0]");
  CHECK(link_of(overridden, "west", "east")->latency_ms.quantile(0.5) == Approx(99.75));

  const Scenario bandwidth = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"regions": {"east": "azure:eastus", "west": "azure:centralindia"},
                "links": [{"between": ["east", "west"], "bandwidth_bytes_per_s": 1000}]}})"));
  for (const auto& [a, b] : {std::pair("east", "west"), std::pair("west", "east")}) {
    const LinkSpec* link = link_of(bandwidth, a, b);
    REQUIRE(link != nullptr);
    CHECK(link->bandwidth_bytes_per_s == 1000);
    CHECK(link->latency_ms.quantile(0.5) == Approx(99.75));
  }
  // Unbound geos: a link without latency keeps the scenario's inter-geo default (20 ms here).
  const Scenario unbound = shardsim::testing::test_scenario(json::parse(
      R"({"network": {"links": [{"between": ["east", "west"], "bandwidth_bytes_per_s": 1000}]}})"));
  CHECK(link_of(unbound, "east", "west")->latency_ms.mean() == 20);
}

TEST_CASE("a geo left unbound keeps inter_geo_latency_ms", "[scenario][regions]") {
  const Scenario s = shardsim::testing::test_scenario(json::parse(R"({
    "network": {"regions": {"east": "azure:eastus"}}})"));
  CHECK(link_of(s, "east", "west") == nullptr);
  CHECK(s.network.regions == std::vector<std::string>{"azure:eastus", ""});
}

TEST_CASE("bindings that resolve to nothing are errors with a suggestion", "[scenario][regions]") {
  CHECK_THAT(load_error_of(json::parse(R"({"network": {"regions": {"east": "azure:centralindai"}}})")),
             Catch::Contains("at /network/regions/east: unknown azure region \"centralindai\"; did you mean "
                             "\"centralindia\"?"));
  CHECK_THAT(load_error_of(json::parse(R"({"network": {"regions": {"east": "azur:eastus"}}})")),
             Catch::Contains("unknown region table \"azur\"; did you mean \"azure\"?"));
  CHECK_THAT(
      load_error_of(json::parse(R"({"network": {"regions": {"east": "eastus"}}})")),
      Catch::Contains("expected \"provider:region\", such as \"azure:centralindia\", found \"eastus\""));
  CHECK_THAT(load_error_of(json::parse(
                 R"({"network": {"regions": {"east": "azure:eastus", "west": "azure:eastus"}}})")),
             Catch::Contains("found \"east\" and \"west\" both in azure:eastus"));
  CHECK_THAT(load_error_of(json::parse(R"({"network": {"regions": {"north": "azure:eastus"}}})")),
             Catch::Contains("unknown geo \"north\""));
  // Two geos in one region are fine when links set their latency both ways.
  CHECK(load_error_of(json::parse(R"({"network": {"regions": {"east": "azure:eastus", "west": "azure:eastus"},
                   "links": [{"between": ["east", "west"], "latency_ms": 1}]}})"))
            .empty());
}
