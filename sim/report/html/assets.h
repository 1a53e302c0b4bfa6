// The texts the HTML pages inline, compiled into the binary from real files at build time
// (cmake/EmbedText.cmake, called from CMakeLists.txt): the vendored uPlot chart library
// (third_party/uplot/), the helpers and stylesheet every page shares (sim/report/html/page.js,
// report.css) and each page's own script (report.js for a run, sweep.js for a sweep). The build fails if a
// script holds "</script" or a stylesheet "</style", which would end the element it is inlined into.
#pragma once

#include <string_view>

namespace shardsim::html_assets {

std::string_view uplot_js();
std::string_view uplot_css();
std::string_view common_js();
std::string_view page_css();
std::string_view run_report_js();
std::string_view sweep_js();

}  // namespace shardsim::html_assets
