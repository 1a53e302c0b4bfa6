// The text of an HTML page's <script type="application/json" id="report-data"> element, where
// shardsim's pages (html_page.h) embed their data: for tests that parse it back.
#pragma once

#include <string>

#include <catch2/catch.hpp>

namespace shardsim::testing {

inline std::string embedded_page_data(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"report-data\">";
  const std::size_t from = page.find(open);
  REQUIRE(from != std::string::npos);
  const std::size_t start = from + open.size();
  const std::size_t end = page.find("</script>", start);
  REQUIRE(end != std::string::npos);
  return page.substr(start, end - start);
}

}  // namespace shardsim::testing
