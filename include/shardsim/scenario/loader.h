// Loading a scenario file: parse, apply --set overrides, validate, fill defaults, build the model.
//
// The format is defined by the JSON Schema scenarios/schema/scenario.schema.json (embedded in the
// library, see scenario_schema_text()) and documented in docs/scenario-format.md. Loading checks,
// in one pass that reports every issue at once (see errors.h):
//   - JSON syntax (one issue, with line and column);
//   - the schema: types, ranges, enums, required keys, and unknown keys (with a did-you-mean);
//   - what a schema cannot say: geo names that are not in `geos`, shard ranges that leave gaps or
//     overlap, lognormal p99 < median, warmup_s >= duration_s, ...;
//   - limits, so that no scenario can exhaust memory or run forever (each error names its limit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/scenario/errors.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

struct LoadOptions {
  // "path=value" overrides, applied in order to the parsed document before validation. `path` is
  // dotted (workload.india.rate_per_s, array indices as numbers: shards.0.last_key) or a JSON
  // pointer (/workload/india/rate_per_s). `value` is parsed as JSON, or taken as a plain string
  // if it is not valid JSON (so name=test works without quotes). Missing object members along the
  // path are created; indexing past the end of an array, or into a number or string, is an error.
  std::vector<std::string> overrides;
  // Replaces the file's seed (the command line's --seed).
  std::optional<std::uint64_t> seed_override;
};

// Reads and loads a scenario file. Throws ScenarioError (which lists every issue found).
Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});

// Loads scenario text; `file_label` names it in error messages.
Scenario load_scenario_text(std::string_view json_text, const std::string& file_label,
                            const LoadOptions& options = {});

// The JSON Schema of the format, as embedded in the binary (generated at build time from
// scenarios/schema/scenario.schema.json by cmake/EmbedText.cmake).
std::string_view scenario_schema_text();
const nlohmann::json& scenario_schema();

}  // namespace shardsim
