// The frame of every shardsim HTML page (the run report, html_report.h; the sweep page,
// shardsim/sweep/sweep_html.h): one self-contained file that opens offline. uPlot's script and
// stylesheet, the shared page script (sim/report/html/page.js) and stylesheet and the page's own
// script are inlined, and the data is embedded as JSON in
// <script type="application/json" id="report-data">, which the scripts read and draw.
//
// A page is a pure function of its inputs (no timestamp, no path, no random id): the same data
// gives the same bytes. Its Content-Security-Policy forbids the browser to fetch anything.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace shardsim {

// JSON text that is safe inside an HTML <script> element: "</" becomes "<\/" (so no "</script>"
// in a string can end the element) and "<!--" becomes "<\u0021--" (which would switch the HTML
// parser into its escaped script state). Both are the same string to JSON.parse.
std::string json_for_script_element(const nlohmann::json& data);
std::string json_for_script_element(const nlohmann::ordered_json& data);

struct HtmlPage {
  std::string title;        // plain text; escaped here
  std::string generator;    // the simulator version, for <meta name="generator">
  std::string noscript;     // plain text shown when JavaScript is off; escaped here
  std::string data_json;    // the embedded data, from json_for_script_element
  std::string_view script;  // the page's own script, run after uPlot and page.js
};

// The whole page.
std::string render_html_page(const HtmlPage& page);

}  // namespace shardsim
