#include "shardsim/sweep/sweep_html.h"

#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "report/html/assets.h"
#include "shardsim/report/atomic_file.h"
#include "shardsim/report/html_page.h"

namespace shardsim::sweep {

namespace {

using ojson = nlohmann::ordered_json;

// A document with its spec's absolute base path cut to the file name.
ojson without_paths(ojson document) {
  ojson* base = document.contains("spec") ? &document["spec"] : nullptr;
  if (base != nullptr && base->is_object() && base->contains("base") && (*base)["base"].is_string()) {
    (*base)["base"] = std::filesystem::path((*base)["base"].get<std::string>()).filename().string();
  }
  return document;
}

const ojson& spec_of(const SweepPageData& data) {
  static const ojson kNone = ojson::object();
  const ojson& document = data.grid ? *data.grid : *data.find;
  return document.contains("spec") ? document["spec"] : kNone;
}

std::string page_title(const SweepPageData& data) {
  const ojson& spec = spec_of(data);
  const std::string base = spec.contains("base") && spec["base"].is_string()
                               ? std::filesystem::path(spec["base"].get<std::string>()).filename().string()
                               : std::string("?");
  const char* kind = data.grid && data.find ? "sweep and search" : data.grid ? "sweep" : "search";
  return fmt::format("shardsim {} of {}", kind, base);
}

}  // namespace

std::string render_sweep_html(const SweepPageData& data) {
  if (!data.grid && !data.find) throw std::invalid_argument("render_sweep_html: no sweep.json nor find.json");
  ojson embedded = ojson::object();
  embedded["simulator_version"] = SHARDSIM_VERSION;
  embedded["sweep"] = data.grid ? without_paths(*data.grid) : ojson(nullptr);
  embedded["find"] = data.find ? without_paths(*data.find) : ojson(nullptr);
  return render_html_page({.title = page_title(data),
                           .generator = SHARDSIM_VERSION,
                           .noscript =
                               "This page draws its tables and charts with JavaScript, which is off in "
                               "this browser. The figures are in the sweep's sweep.csv, sweep.json and "
                               "find.json.",
                           .data_json = json_for_script_element(embedded),
                           .script = html_assets::sweep_js()});
}

void write_sweep_html(const std::string& path, const SweepPageData& data) {
  write_file_atomically(path, render_sweep_html(data));
}

}  // namespace shardsim::sweep
