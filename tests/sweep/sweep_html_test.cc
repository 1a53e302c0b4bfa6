// The sweep's HTML page (issue 19): it embeds the sweep's sweep.json and find.json, escaped and
// without the checkout's paths; the same documents give the same bytes; and `sweep --html`,
// `sweep --find --html` and `report DIR` on the sweep's directory write the same page.
// tools/html_check/check_html.py opens real sweep pages in headless Chromium (ctest html_sweep).
#include "shardsim/sweep/sweep_html.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <catch2/catch.hpp>

#include "support/html_page_data.h"
#include "support/run_binary.h"

namespace shardsim::sweep {
namespace {

namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;
using testing::fresh_directory;
using testing::read_file;
using testing::run_shardsim;
using testing::source_path;

ojson grid_document() {
  return ojson::parse(R"({"format": "shardsim-sweep", "version": 1,
    "spec": {"base": "/somewhere/checkout/scenarios/seed.json", "parameters": {"b.second": [2, 1], "a.first": [3]},
             "zip": false, "replications": 2, "seed": 1, "metrics": ["/x</script><!--y"]},
    "rows": [{"point": 0, "parameters": {"b.second": 2, "a.first": 3}, "metric": "/x</script><!--y", "n": 2,
              "mean": 1.5, "stddev": 0.5, "ci95_low": -3, "ci95_high": 6}]})");
}

ojson find_document() {
  return ojson::parse(R"({"spec": {"base": "/elsewhere/seed.json", "find": {"parameter": ["p"]}},
    "probes": [{"value": 500, "n": 3, "mean": 32.5, "half_width": 9.5, "verdict": "meets", "samples": [30, 31, 36.5]}],
    "answer": 500, "beyond": null, "conclusion": "The highest p ..."})");
}

// The JSON of the page's <script type="application/json" id="report-data"> element.
ojson embedded_data(const std::string& page) {
  const std::string text = testing::embedded_page_data(page);
  CHECK(text.find("</") == std::string::npos);
  CHECK(text.find("<!--") == std::string::npos);
  return ojson::parse(text);
}

TEST_CASE("the sweep page embeds sweep.json and find.json, escaped and without paths", "[sweep][html]") {
  const std::string page = render_sweep_html({grid_document(), find_document()});
  const ojson data = embedded_data(page);
  ojson expected_grid = grid_document();
  expected_grid["spec"]["base"] = "seed.json";
  CHECK(data["sweep"] == expected_grid);  // the parameters keep the file's order
  CHECK(data["sweep"]["spec"]["parameters"].begin().key() == "b.second");
  CHECK(data["find"]["spec"]["base"] == "seed.json");
  CHECK(data["find"]["probes"] == find_document()["probes"]);
  CHECK(page.find("/somewhere/checkout") == std::string::npos);
  CHECK(page.find("<title>shardsim sweep and search of seed.json</title>") != std::string::npos);
  // The frame is the run report's: the CSP, uPlot, the shared helpers, then the sweep's script.
  CHECK(page.find("Content-Security-Policy\" content=\"default-src 'none'") != std::string::npos);
  const std::size_t uplot = page.find("var uPlot=");
  const std::size_t common = page.find("window.ShardsimPage = {");
  const std::size_t own = page.find("Boundary search (--find)");
  CHECK(uplot != std::string::npos);
  CHECK(common > uplot);
  CHECK(own > common);
  CHECK(page.find("drawTopology") == std::string::npos);  // not the run report's script

  const ojson grid_only = embedded_data(render_sweep_html({grid_document(), std::nullopt}));
  CHECK(grid_only["find"].is_null());
  CHECK(render_sweep_html({std::nullopt, find_document()}).find("<title>shardsim search of seed.json") !=
        std::string::npos);
  CHECK_THROWS_AS(render_sweep_html({}), std::invalid_argument);
}

TEST_CASE("the same sweep documents give the same page bytes", "[sweep][html]") {
  CHECK(render_sweep_html({grid_document(), find_document()}) ==
        render_sweep_html({grid_document(), find_document()}));
}

// A 2 x 2 grid and a search over the same tiny seed scenario (3 simulated seconds, low rates).
std::string write_tiny_sweep(const fs::path& dir) {
  const std::string path = (dir / "tiny.json").string();
  std::ofstream(path) << R"({
    "base": ")" << source_path("scenarios/seed.json")
                      << R"(",
    "set": {"duration_s": 3, "report.warmup_s": 1, "workload.usa.rate_per_s": 100},
    "parameters": {"slaves.per_shard_per_geo.india": [1, 2], "workload.india.rate_per_s": [100, 200]},
    "replications": 2, "seed": 3,
    "metrics": ["/requests/india/latency/read_hit/p99_ms"],
    "find": {"parameter": "workload.india.rate_per_s", "range": [100, 300], "goal": "highest",
             "metric": "/requests/india/latency/read_hit/p99_ms", "at_most": 1000, "tolerance": 100}
  })";
  return path;
}

TEST_CASE("sweep --html, sweep --find --html and report DIR write the same pages", "[sweep][html][cli]") {
  const fs::path dir = fresh_directory("sweep-html");
  const std::string sweep = write_tiny_sweep(dir);
  const std::string grid = (dir / "grid").string(), find = (dir / "find").string();
  REQUIRE(run_shardsim("sweep " + sweep + " -j 2 --out " + grid + " --html " + (dir / "grid.html").string())
              .exit_code == 0);
  REQUIRE(run_shardsim("sweep " + sweep + " --find -j 2 --out " + find + " --html " +
                       (dir / "find.html").string())
              .exit_code == 0);
  REQUIRE(run_shardsim("report " + grid).exit_code == 0);
  REQUIRE(run_shardsim("report " + find + " --html " + (dir / "find-again.html").string()).exit_code == 0);
  const std::string grid_page = read_file(dir / "grid.html");
  CHECK(read_file(dir / "grid" / "report.html") == grid_page);
  CHECK(read_file(dir / "find-again.html") == read_file(dir / "find.html"));
  const ojson grid_data = embedded_data(grid_page);
  CHECK(grid_data["sweep"]["rows"].size() == 4);  // 2 x 2 points, one metric
  CHECK(grid_data["sweep"]["rows"][0]["n"] == 2);
  CHECK(grid_data["find"].is_null());
  const ojson find_data = embedded_data(read_file(dir / "find.html"));
  CHECK(find_data["sweep"].is_null());
  CHECK(find_data["find"]["probes"].size() >= 2);
  CHECK(find_data["find"]["conclusion"].get<std::string>().starts_with("The highest"));

  // A directory holding both (the grid and a search of the same file) gets one page with both.
  fs::copy_file(dir / "find" / "find.json", dir / "grid" / "find.json");
  REQUIRE(run_shardsim("report " + grid).exit_code == 0);
  const ojson both = embedded_data(read_file(dir / "grid" / "report.html"));
  CHECK(both["sweep"] == grid_data["sweep"]);
  CHECK(both["find"] == find_data["find"]);

  // A page that cannot be written (a directory in its place) exits 3 and leaves the place as it was.
  fs::create_directory(dir / "taken.html");
  CHECK(run_shardsim("report " + find + " --html " + (dir / "taken.html").string()).exit_code == 3);
  CHECK(run_shardsim("sweep " + sweep + " -j 2 --out " + grid + " --html " + (dir / "taken.html").string())
            .exit_code == 3);
  CHECK(fs::is_directory(dir / "taken.html"));

  // --html needs a whole sweep or a search; a broken sweep.json is bad input.
  CHECK(run_shardsim("sweep " + sweep + " --index 0 --out " + grid + " --html x.html").exit_code == 2);
  CHECK(run_shardsim("sweep " + sweep + " --list --html x.html").exit_code == 2);
  std::ofstream(dir / "grid" / "sweep.json") << "{\"rows\": []}";
  const auto broken = run_shardsim("report " + grid);
  CHECK(broken.exit_code == 2);
  CHECK(broken.out.find("not a shardsim sweep output (no \"spec\")") != std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shardsim::sweep
