#include "shardsim/report/html_page.h"

#include <fmt/format.h>

#include "report/html/assets.h"
#include "shardsim/util/markup_escape.h"

namespace shardsim {

namespace {

// The browser itself enforces "nothing from the network": only the inlined scripts and styles may
// run, and images only from data: URLs. A stray fetch fails (and logs), instead of phoning home.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:";

std::string escaped_for_script(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 64);
  for (std::size_t i = 0; i < text.size(); ++i) {
    // '<' appears only inside JSON strings, where both escapes are valid.
    if (text[i] == '<' && text.compare(i, 2, "</") == 0) {
      out += "<\\/";
      ++i;
    } else if (text[i] == '<' && text.compare(i, 4, "<!--") == 0) {
      out += "<\\u0021--";
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string json_for_script_element(const nlohmann::json& data) {
  return escaped_for_script(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string json_for_script_element(const nlohmann::ordered_json& data) {
  return escaped_for_script(data.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

std::string render_html_page(const HtmlPage& spec) {
  std::string page;
  page += "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page +=
      fmt::format("<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n", kContentSecurityPolicy);
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  page += fmt::format("<meta name=\"generator\" content=\"shardsim {}\">\n", markup_escaped(spec.generator));
  page += "<title>" + markup_escaped(spec.title) + "</title>\n";
  page += "<style>\n" + std::string(html_assets::uplot_css()) + "\n</style>\n";
  page += "<style>\n" + std::string(html_assets::page_css()) + "\n</style>\n</head>\n<body>\n";
  page += "<noscript><p>" + markup_escaped(spec.noscript) + "</p></noscript>\n";
  page += "<main id=\"report\"></main>\n";
  page += "<script type=\"application/json\" id=\"report-data\">" + spec.data_json + "</script>\n";
  page += "<script>\n" + std::string(html_assets::uplot_js()) + "\n</script>\n";
  page += "<script>\n" + std::string(html_assets::common_js()) + "\n</script>\n";
  page += "<script>\n" + std::string(spec.script) + "\n</script>\n</body>\n</html>\n";
  return page;
}

}  // namespace shardsim
