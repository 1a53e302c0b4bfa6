// The friendly schema checker and valijson agree on what the schema accepts.
//
// The loader words schema violations itself (schema_check.cc), its only schema check; this
// property test mutates every value of the seed scenario in several ways and checks that it and
// valijson both say "valid" or both say "invalid".
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "scenario/schema_check.h"
#include "shardsim/scenario/loader.h"
#include "support/valijson_check.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

json seed_document() {
  std::ifstream in(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/seed.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str());
}

void check_agreement(const json& document, const std::string& what) {
  const bool friendly_ok = check_against_schema(scenario_schema(), document).empty();
  const bool valijson_ok = check_with_valijson(document).empty();
  INFO(what);
  CHECK(friendly_ok == valijson_ok);
}

// The pointer with geo names and array indices wildcarded: places that share a schema node share
// a pattern, and testing one of them is enough (keeps the test fast).
std::string schema_place(const std::string& pointer) {
  std::string out;
  std::size_t start = 1;
  while (start <= pointer.size()) {
    const std::size_t end = std::min(pointer.find('/', start), pointer.size());
    const std::string segment = pointer.substr(start, end - start);
    const bool wildcard = segment == "india" || segment == "usa" ||
                          (!segment.empty() && segment.find_first_not_of("0123456789") == std::string::npos);
    out += "/" + (wildcard ? std::string("*") : segment);
    start = end + 1;
  }
  return out;
}

TEST_CASE("the friendly checker and valijson agree on mutations of the seed scenario", "[scenario]") {
  const json seed = seed_document();
  check_agreement(seed, "the seed itself");
  std::set<std::string> tested;
  const json flat = seed.flatten();  // every leaf, by JSON pointer
  const std::vector<json> replacements = {json(-1), json("x"), json(0.5), json::object()};
  for (const auto& [pointer, unused] : flat.items()) {
    if (!tested.insert(schema_place(pointer)).second) continue;
    for (const auto& replacement : replacements) {
      json mutated = seed;
      mutated[json::json_pointer(pointer)] = replacement;
      check_agreement(mutated, pointer + " = " + replacement.dump());
    }
  }
  // An unknown key in every kind of object.
  std::function<void(const json&, const std::string&)> visit = [&](const json& node,
                                                                   const std::string& pointer) {
    if (node.is_object() && tested.insert(schema_place(pointer) + "/{}").second) {
      json with_extra = seed;
      with_extra[json::json_pointer(pointer)]["zzz"] = 1;
      check_agreement(with_extra, pointer + " + zzz");
    }
    if (node.is_object()) {
      for (const auto& [key, child] : node.items()) visit(child, pointer + "/" + key);
    } else if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) visit(node[i], pointer + "/" + std::to_string(i));
    }
  };
  visit(seed, "");
  CHECK(tested.size() > 50);
}

TEST_CASE("the friendly checker and valijson agree on the other forms of each union", "[scenario]") {
  json document = seed_document();
  const std::vector<json> distributions = {
      json::parse(R"({"dist":"constant","value":1})"),
      json::parse(R"({"dist":"uniform","min":1,"max":2})"),
      json::parse(R"({"dist":"exponential","mean":1})"),
      json::parse(R"({"dist":"normal","mean":1,"stddev":0})"),
      json::parse(R"({"dist":"pareto","scale":1,"shape":2})"),
      json::parse(R"({"dist":"empirical","percentiles":[[0,1],[100,2]]})"),
      json::parse(R"({"dist":"exponential","mean":0})"),
      json::parse(R"({"dist":"uniform","min":1})"),
      json::parse(R"({"dist":"empirical","percentiles":[[0,1,2]]})"),
      json::parse(R"({"dist":"nope"})")};
  for (const auto& distribution : distributions) {
    document["edge"]["dns_lookup_ms"] = distribution;
    check_agreement(document, distribution.dump());
  }
  const std::vector<json> shapes = {json::parse(R"({"kind":"steps","steps":[{"from_s":1,"multiplier":2}]})"),
                                    json::parse(R"({"kind":"daily"})"),
                                    json::parse(R"({"kind":"spike","at_s":1,"length_s":1,"multiplier":3})"),
                                    json::parse(R"({"kind":"steps"})"),
                                    json::parse(R"({"kind":"daily","amplitude":2})")};
  for (const auto& shape : shapes) {
    document["workload"]["usa"]["shape"] = shape;
    check_agreement(document, shape.dump());
  }
  const std::vector<json> links = {json::parse(R"({"from":"usa","to":"india","latency_ms":3})"),
                                   json::parse(R"({"from":"usa","latency_ms":3})"),
                                   json::parse(R"({"between":["usa"],"latency_ms":3})"),
                                   json::parse(R"({"between":["usa","india"],"from":"usa","latency_ms":3})")};
  for (const auto& link : links) {
    document["network"]["links"][0] = link;
    check_agreement(document, link.dump());
  }
  document["shards"] = json{{"shard_count", 0}};
  check_agreement(document, "shard_count 0");
  document["workload"]["usa"]["keys"] = json::parse(R"({"dist":"zipf","exponent":1,"placement":"random"})");
  check_agreement(document, "bad placement");
}

}  // namespace
}  // namespace shardsim::scenario_internal
