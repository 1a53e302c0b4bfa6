#include "support/valijson_check.h"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim::scenario_internal {
namespace {

// Parsed once: the schema is the same for every load.
struct ParsedSchema {
  ParsedSchema() {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    parser.populateSchema(valijson::adapters::NlohmannJsonAdapter(scenario_schema()), schema);
  }
  valijson::Schema schema;
};

const valijson::Schema& parsed_schema() {
  static const ParsedSchema parsed;
  return parsed.schema;
}

// valijson's context ["<root>", "[workload]", "[india]"] as a JSON pointer.
std::string context_pointer(const std::vector<std::string>& context) {
  std::string pointer;
  for (const auto& part : context) {
    if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
      pointer = child_pointer(pointer, std::string_view(part).substr(1, part.size() - 2));
    }
  }
  return pointer;
}

}  // namespace

Findings check_with_valijson(const nlohmann::json& document) {
  valijson::Validator validator;  // per call: it caches regexes, so it is not shareable across threads
  valijson::ValidationResults results;
  Findings findings;
  if (validator.validate(parsed_schema(), valijson::adapters::NlohmannJsonAdapter(document), &results)) {
    return findings;
  }
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    findings.push_back({context_pointer(error.context), "does not match the schema: " + error.description});
  }
  return findings;
}

}  // namespace shardsim::scenario_internal
