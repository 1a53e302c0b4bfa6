// docs/scenario-format.md documents every key of the schema, so the two cannot drift apart.
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

TEST_CASE("the format documentation names every key of the schema", "[scenario]") {
  std::ifstream in(std::string(SHARDSIM_SOURCE_DIR) + "/docs/scenario-format.md");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  std::set<std::string> keys;
  std::function<void(const nlohmann::json&)> collect = [&](const nlohmann::json& node) {
    if (node.is_array()) {
      for (const auto& item : node) collect(item);
    }
    if (!node.is_object()) return;
    if (node.contains("properties") && node["properties"].is_object()) {
      for (const auto& [name, unused] : node["properties"].items()) keys.insert(name);
    }
    if (node.contains("const") && node["const"].is_string()) keys.insert(node["const"].get<std::string>());
    if (node.contains("enum")) {
      for (const auto& value : node["enum"]) keys.insert(value.get<std::string>());
    }
    for (const auto& [name, child] : node.items()) {
      if (name != "default") collect(child);
    }
  };
  collect(scenario_schema());
  REQUIRE(keys.size() > 50);
  for (const auto& key : keys) {
    INFO(key);
    CHECK(doc.find("`" + key + "`") != std::string::npos);
  }
}

}  // namespace
}  // namespace shardsim
