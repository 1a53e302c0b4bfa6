// The texts the HTML report inlines, compiled into the binary from real files at build time
// (cmake/EmbedText.cmake, called from CMakeLists.txt): the vendored uPlot chart library
// (third_party/uplot/) and the page's own script and stylesheet (sim/report/html/report.js,
// report.css). The build fails if a script holds "</script" or a stylesheet "</style", which would
// end the element it is inlined into.
#pragma once

#include <string_view>

namespace shardsim::html_assets {

std::string_view uplot_js();
std::string_view uplot_css();
std::string_view page_js();
std::string_view page_css();

}  // namespace shardsim::html_assets
