// Reading the scenario schema: the subset of JSON Schema draft-07 the format uses.
//
// The schema is the single source of truth for the format, so the checker, the defaults and the
// semantic checks all walk it rather than repeating its structure in code. Supported keywords:
// $ref (local "#/definitions/..."), type, properties, required, additionalProperties, items
// (a schema or a tuple), minItems, maxItems, uniqueItems, minimum, maximum, exclusiveMinimum,
// exclusiveMaximum, enum, const, pattern, maxLength, oneOf and anyOf, and the annotations
// description, default and x-limit (the name of a resource limit a bound enforces).
// Annotations written next to a $ref (description, default) belong to that use of the definition.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim::scenario_internal {

using nlohmann::json;

// Follows $ref (repeatedly) to the schema that constrains the value.
const json& resolve(const json& root, const json& schema);

// The default of a property: next to its $ref if given there, else in the referenced schema.
const json* default_of(const json& root, const json& property_schema);

// The branches of a oneOf/anyOf schema, or nullptr when it is not a union.
const json* union_branches(const json& schema);

// True when `value` has one of the JSON types the (resolved) schema allows (any, without "type").
bool type_admits(const json& schema, const json& value);

// The property every branch pins with "const" (e.g. "dist", "kind"), or "" when there is none.
std::string discriminator(const json& root, const std::vector<const json*>& branches);

// The branch of a union `value` is meant for: the only one of its type, the one its
// discriminator names or, without a discriminator, the only one whose required keys `value` has.
// nullptr when that cannot be told.
const json* select_branch(const json& root, const json& union_schema, const json& value);

// Calls `visit(pointer, value)` for every value of `document` that the schema constrains with
// {"$ref": ref}, e.g. "#/definitions/distribution". Follows only what matches the schema.
void visit_definition_uses(const json& root, const json& document, const std::string& ref,
                           const std::function<void(const std::string&, const json&)>& visit);

}  // namespace shardsim::scenario_internal
