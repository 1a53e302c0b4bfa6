// The single-file HTML report (issue 19): the run's data is embedded, escaped for a <script>
// element; the page is self-contained (nothing from the network); the same data gives the same
// bytes; and the page is written atomically. tools/html_check/check_html.py opens real reports in
// headless Chromium (ctest html_report_*).
#include "shardsim/report/html_report.h"

#include <cctype>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "support/html_page_data.h"
#include "support/run_binary.h"

namespace shardsim {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using testing::fresh_directory;
using testing::read_file;
using testing::run_shardsim;
using testing::source_path;

json small_report() {
  return json{{"format", "shardsim-report"},
              {"version", 1},
              {"simulator_version", "0.1.0"},
              {"scenario", {{"name", "evil</script><script>alert(1)</script>"}, {"seed", 42}}},
              {"run", {{"simulated_s", 3.0}}}};
}

TimeSeriesColumns small_series() {
  return parse_timeseries_csv("time_s,lag_ms_a,fresh_share_x\n1.000,0.5,0.99\n2.000,,1\n");
}

std::string embedded_data(const std::string& page) {
  return testing::embedded_page_data(page);
}

TEST_CASE("timeseries.csv parses into columns, an empty cell as NaN", "[report][html]") {
  const TimeSeriesColumns ts = small_series();
  REQUIRE(ts.names == std::vector<std::string>{"time_s", "lag_ms_a", "fresh_share_x"});
  REQUIRE(ts.rows() == 2);
  CHECK(ts.values[0] == std::vector<double>{1.0, 2.0});
  CHECK(ts.values[1][0] == 0.5);
  CHECK(std::isnan(ts.values[1][1]));
  CHECK(parse_timeseries_csv("time_s,x\r\n1,2\r\n").values[1] == std::vector<double>{2.0});
  CHECK(parse_timeseries_csv("").rows() == 0);
  // An empty last cell (an interval that answered no operation of the last column's kind) is a
  // cell: the row is as wide as the header.
  const TimeSeriesColumns trailing = parse_timeseries_csv("time_s,x,y\n1,2,\n2,,\n");
  REQUIRE(trailing.rows() == 2);
  CHECK(std::isnan(trailing.values[2][0]));
  CHECK(std::isnan(trailing.values[1][1]));
  CHECK(std::isnan(trailing.values[2][1]));
  CHECK_THROWS_WITH(parse_timeseries_csv("time_s,x\n1,2\n3\n"), Catch::Contains("line 3"));
  CHECK_THROWS_WITH(parse_timeseries_csv("time_s\nabc\n"), Catch::Contains("'abc' is not a number"));
}

TEST_CASE("JSON for a script element cannot end the element or open a comment", "[report][html]") {
  const json data{{"name", "a</script>b<!--c</SCRIPT>"}, {"ok", "<b>"}};
  const std::string text = json_for_script_element(data);
  CHECK(text.find("</") == std::string::npos);
  CHECK(text.find("<!--") == std::string::npos);
  CHECK(json::parse(text) == data);  // the escapes are the same string to a JSON reader
}

TEST_CASE("the page embeds the report and the time series, escaped", "[report][html]") {
  const json report = small_report();
  const TimeSeriesColumns ts = small_series();
  const std::string page = render_html_report(report, &ts);
  const std::string text = embedded_data(page);
  CHECK(text.find("</") == std::string::npos);
  const json data = json::parse(text);
  CHECK(data["report"] == report);
  CHECK(data["timeseries"]["columns"] == json{"time_s", "lag_ms_a", "fresh_share_x"});
  CHECK(data["timeseries"]["values"][1] == json{0.5, nullptr});  // NaN: a gap in the chart
  // The title is HTML-escaped: the scenario's name cannot open an element.
  CHECK(page.find("<title>shardsim report: evil&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; (seed "
                  "42)</title>") != std::string::npos);
  CHECK(json::parse(embedded_data(render_html_report(report, nullptr)))["timeseries"].is_null());
}

TEST_CASE("the page is self-contained: inlined scripts and styles, nothing fetched", "[report][html]") {
  const std::string page = render_html_report(small_report(), nullptr);
  // No element loads anything: no src or href attribute at all, let alone an http(s) one.
  std::string lower = page;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(lower.find("src=") == std::string::npos);
  CHECK(lower.find("href=") == std::string::npos);
  CHECK(page.find("<link") == std::string::npos);
  CHECK(page.find("@import") == std::string::npos);
  // The browser enforces it too.
  CHECK(page.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  CHECK(page.find("var uPlot=") != std::string::npos);                         // the chart library, inlined
  CHECK(page.find("document.body.dataset.reportReady") != std::string::npos);  // our page script
  CHECK(page.find(".u-legend") != std::string::npos);                          // uPlot's stylesheet
}

TEST_CASE("the same data gives the same bytes", "[report][html]") {
  const TimeSeriesColumns ts = small_series();
  CHECK(render_html_report(small_report(), &ts) == render_html_report(small_report(), &ts));
}

TEST_CASE("the page is written atomically", "[report][html]") {
  const fs::path dir = fresh_directory("html-atomic");
  const std::string target = (dir / "report.html").string();
  write_html_report(target, small_report(), nullptr);
  CHECK(read_file(target) == render_html_report(small_report(), nullptr));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);  // no temporary left
  // A target the atomic writer refuses (a directory) leaves it, and writes nothing beside it.
  fs::create_directory(dir / "taken.html");
  CHECK_THROWS_AS(write_html_report((dir / "taken.html").string(), small_report(), nullptr),
                  std::runtime_error);
  CHECK(fs::is_directory(dir / "taken.html"));
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);
  fs::remove_all(dir);
}

TEST_CASE("run --html and report DIR write the same page for the same run", "[report][html][cli]") {
  const fs::path dir = fresh_directory("html-cli");
  const std::string scenario = source_path("scenarios/seed.json");
  const std::string shorter = " --set duration_s=6 --set report.warmup_s=1 --quiet";
  const auto run = run_shardsim("run " + scenario + shorter + " --out " + (dir / "out").string() +
                                " --html " + (dir / "run.html").string());
  REQUIRE(run.exit_code == 0);
  const auto report = run_shardsim("report " + (dir / "out").string());
  REQUIRE(report.exit_code == 0);
  const std::string page = read_file(dir / "run.html");
  CHECK(page.size() > 50000);
  CHECK(read_file(dir / "out" / "report.html") == page);
  const json data = json::parse(embedded_data(page));
  CHECK(data["report"] == json::parse(read_file(dir / "out" / "report.json")));
  CHECK(data["timeseries"]["values"][0].size() == 6);  // a row per second of the 6 s run
  // Without --out, --html alone writes the page and nothing else.
  const fs::path alone = dir / "alone";
  fs::create_directory(alone);
  REQUIRE(run_shardsim("run " + scenario + shorter + " --html " + (alone / "page.html").string()).exit_code ==
          0);
  CHECK(read_file(alone / "page.html") == page);
  CHECK(std::distance(fs::directory_iterator(alone), fs::directory_iterator()) == 1);
  // A directory that is not a run's is bad input.
  CHECK(run_shardsim("report " + alone.string()).exit_code == 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shardsim
