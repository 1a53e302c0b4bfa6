// The readable summary printed by `shardsim run`: aligned tables rendered from the report JSON
// (so the summary and report.json always agree).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace shardsim {

std::string render_summary(const nlohmann::json& report);

}  // namespace shardsim
