// The readable summary printed by `shardsim run`: aligned tables rendered from the report JSON
// (so the summary and report.json always agree).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace shardsim {

struct SummaryStyle {
  bool colour = false;  // ANSI colour: headings, and verdicts in green or red (on a terminal only)
};

std::string render_summary(const nlohmann::json& report, const SummaryStyle& style = {});

}  // namespace shardsim
