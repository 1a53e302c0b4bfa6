// The single-file HTML page of a sweep (`shardsim sweep FILE --html PAGE`, `shardsim report DIR`
// on a sweep's --out directory): each metric against its parameter with the 95% confidence band
// of its mean, and the result of a `--find` search (the boundary, its bracket, every probe's
// decision). The frame, the chart library and the shared helpers are the run report's
// (shardsim/report/html_page.h); the page script is sim/report/html/sweep.js. docs/html-report.md
// describes the page.
//
// The page draws from the documents the sweep writes: sweep.json (aggregate.h's render_json) and
// find.json (find.h's find_to_json). Writing it from those files or from the same sweep's
// results in memory gives the same bytes, and the base scenario is named by its file name only, so
// that the page does not depend on where the checkout lies.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace shardsim::sweep {

struct SweepPageData {
  std::optional<nlohmann::ordered_json> grid;  // a sweep.json document
  std::optional<nlohmann::ordered_json> find;  // a find.json document
};

// The whole page; at least one of the documents must be set.
std::string render_sweep_html(const SweepPageData& data);

// render_sweep_html written to `path` atomically. Throws std::runtime_error on failure.
void write_sweep_html(const std::string& path, const SweepPageData& data);

}  // namespace shardsim::sweep
