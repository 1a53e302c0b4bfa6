// The build generates the embedded schema from the schema file (cmake/EmbedText.cmake); this checks
// that the generated text is the file byte for byte (a chunking or escaping fault would show here).
#include <fstream>
#include <functional>
#include <sstream>

#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

TEST_CASE("the embedded schema is scenarios/schema/scenario.schema.json", "[scenario]") {
  std::ifstream in(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/schema/scenario.schema.json");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(std::string(scenario_schema_text()) == text.str());
  CHECK(nlohmann::json::parse(text.str()) == nlohmann::json::parse(scenario_schema_text()));
  CHECK(scenario_schema() == nlohmann::json::parse(text.str()));
}

// Every property says what it is: "description" on each, next to its $ref or in its definition.
void check_descriptions(const nlohmann::json& schema, const std::string& where) {
  if (!schema.is_object()) return;
  if (schema.contains("properties")) {
    for (const auto& [name, property] : schema["properties"].items()) {
      const std::string path = where + "/" + name;
      INFO(path);
      bool described = property.contains("description");
      if (!described && property.contains("$ref")) {
        const std::string ref = property["$ref"].get<std::string>().substr(1);
        described = scenario_schema().at(nlohmann::json::json_pointer(ref)).contains("description");
      }
      CHECK(described);
      check_descriptions(property, path);
    }
  }
  for (const char* key : {"items", "additionalProperties"}) {
    if (schema.contains(key)) check_descriptions(schema[key], where);
  }
  for (const char* key : {"oneOf", "anyOf"}) {
    if (schema.contains(key)) {
      for (const auto& branch : schema[key]) check_descriptions(branch, where);
    }
  }
  if (schema.contains("definitions")) {
    for (const auto& [name, definition] : schema["definitions"].items())
      check_descriptions(definition, "#" + name);
  }
}

TEST_CASE("every property of the schema has a description", "[scenario]") {
  check_descriptions(scenario_schema(), "");
}

TEST_CASE("every object of the schema forbids unknown keys", "[scenario]") {
  // Geo-keyed maps (workload, caches, per_shard_per_geo) constrain their values instead.
  std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& schema) {
    if (schema.is_object()) {
      if (schema.contains("properties")) {
        INFO(schema.dump().substr(0, 200));
        CHECK(schema.contains("additionalProperties"));
        CHECK(schema["additionalProperties"] == false);
      }
      for (const auto& [key, value] : schema.items()) visit(value);
    } else if (schema.is_array()) {
      for (const auto& value : schema) visit(value);
    }
  };
  visit(scenario_schema());
}

}  // namespace
}  // namespace shardsim
