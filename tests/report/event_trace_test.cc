// The event trace (--trace): its filters, its line format, its limit, determinism, and that an
// interrupted run leaves no trace file behind.
#include <atomic>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "shardsim/report/event_trace.h"
#include "shardsim/run/run.h"
#include "support/run_binary.h"
#include "support/test_scenarios.h"

using nlohmann::json;
using shardsim::EventTrace;
using shardsim::glob_match;
using shardsim::TraceKind;
using shardsim::TraceOptions;
using shardsim::testing::fresh_directory;
using shardsim::testing::read_file;
using shardsim::testing::test_scenario;

namespace {

// Runs the base test scenario (2 s) with a trace and returns its lines, parsed.
std::vector<json> traced_run(TraceOptions options, const json& patch = json::object()) {
  // Per process and call: ctest runs the test cases in parallel processes.
  static int calls = 0;
  const auto dir = fresh_directory("trace-" + std::to_string(::getpid()) + "-" + std::to_string(++calls));
  options.path = (dir / "trace.jsonl").string();
  json document = patch;
  if (!document.contains("duration_s")) document["duration_s"] = 2;
  const shardsim::Scenario scenario = test_scenario(document);
  EventTrace trace(options);
  shardsim::RunOptions run_options;
  run_options.trace = &trace;
  shardsim::run_scenario(scenario, run_options);
  trace.file().commit();
  std::vector<json> lines;
  std::istringstream in(read_file(options.path));
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

std::size_t count_kind(const std::vector<json>& lines, const std::string& kind) {
  std::size_t n = 0;
  for (const json& line : lines) n += line["kind"] == kind ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE("glob_match follows shell globbing on names", "[trace]") {
  CHECK(glob_match("*", "anything"));
  CHECK(glob_match("*", ""));
  CHECK(glob_match("read_api_*", "read_api_east"));
  CHECK_FALSE(glob_match("read_api_*", "cache_east_1"));
  CHECK(glob_match("*slave*", "shard_slave_west_2"));
  CHECK(glob_match("cache_?ast_1", "cache_east_1"));
  CHECK_FALSE(glob_match("cache_?ast_1", "cache_east_12"));
  CHECK(glob_match("a*b*c", "axxbyyc"));
  CHECK_FALSE(glob_match("a*b*c", "axxbyy"));
  CHECK_FALSE(glob_match("", "x"));
}

TEST_CASE("every kind appears in an unfiltered trace, in time order", "[trace]") {
  TraceOptions options;
  const auto lines = traced_run(options);
  REQUIRE(lines.size() > 100);
  for (const char* kind : {"request", "answer", "node", "commit", "apply"}) {
    INFO(kind);
    CHECK(count_kind(lines, kind) > 0);
  }
  std::int64_t previous = 0;
  for (const json& line : lines) {
    REQUIRE(line.contains("t_ns"));
    REQUIRE(line.contains("node"));
    CHECK(line["t_ns"].get<std::int64_t>() >= previous);
    previous = line["t_ns"].get<std::int64_t>();
  }
}

TEST_CASE("a request's trace tells its story: issued, served by nodes in order, answered", "[trace]") {
  TraceOptions options;
  options.kinds = {TraceKind::kRequest, TraceKind::kAnswer, TraceKind::kNode};
  const auto lines = traced_run(options);
  // Ids are recycled: follow each id from its "request" line to its "answer" line.
  std::map<std::uint32_t, std::vector<std::string>> open;  // id -> events since issue
  std::size_t stories = 0;
  for (const json& line : lines) {
    const auto id = line["request"].get<std::uint32_t>();
    const std::string kind = line["kind"];
    if (kind == "request") {
      CHECK(open.count(id) == 0);
      open[id] = {};
    } else if (kind == "node" && open.count(id) && !line.contains("flag")) {
      open[id].push_back(line["event"].get<std::string>());
    } else if (kind == "answer" && open.count(id)) {
      const auto& events = open[id];
      // Every node that started the job finished it: "start" and "done" alternate.
      std::size_t starts = 0, dones = 0;
      for (const std::string& e : events) {
        starts += e == "start";
        dones += e == "done";
        CHECK(dones <= starts);
      }
      CHECK(starts == dones);
      CHECK(starts > 0);
      CHECK(line["latency_ms"].get<double>() > 0);
      open.erase(id);
      ++stories;
    }
  }
  CHECK(stories > 100);
}

TEST_CASE("the node, kind and time filters let only matching events through", "[trace]") {
  TraceOptions options;
  options.nodes = {"read_api_*", "*slave_west*"};
  options.kinds = {TraceKind::kNode, TraceKind::kApply};
  options.from = shardsim::from_s(1.0);
  options.until = shardsim::from_s(1.5);
  const auto lines = traced_run(options);
  REQUIRE(!lines.empty());
  bool saw_read_api = false, saw_slave_apply = false;
  for (const json& line : lines) {
    const std::string node = line["node"];
    CHECK((glob_match("read_api_*", node) || glob_match("*slave_west*", node)));
    CHECK((line["kind"] == "node" || line["kind"] == "apply"));
    CHECK(line["t_ns"].get<std::int64_t>() >= shardsim::from_s(1.0));
    CHECK(line["t_ns"].get<std::int64_t>() < shardsim::from_s(1.5));
    saw_read_api = saw_read_api || glob_match("read_api_*", node);
    saw_slave_apply = saw_slave_apply || line["kind"] == "apply";
  }
  CHECK(saw_read_api);
  CHECK(saw_slave_apply);
}

TEST_CASE("apply lines carry the batch and its lag", "[trace]") {
  TraceOptions options;
  options.kinds = {TraceKind::kApply};
  const auto lines = traced_run(options);
  REQUIRE(!lines.empty());
  for (const json& line : lines) {
    CHECK(line["to"].get<std::uint64_t>() > line["from"].get<std::uint64_t>());
    // The base scenario's hops batch every 10 ms over 0.5-20 ms links: lags are in that range.
    CHECK(line["max_lag_ms"].get<double>() >= line["min_lag_ms"].get<double>());
    CHECK(line["min_lag_ms"].get<double>() >= 0.0);
    CHECK(line["max_lag_ms"].get<double>() < 200.0);
  }
}

TEST_CASE("a trace stops at its line limit and says so", "[trace]") {
  TraceOptions options;
  options.max_lines = 25;
  const auto lines = traced_run(options);
  REQUIRE(lines.size() == 26);
  CHECK(lines.back()["kind"] == "truncated");
  CHECK(lines.back()["lines"] == 25);
}

TEST_CASE("failures reach the trace with their timeline events", "[trace]") {
  TraceOptions options;
  options.kinds = {TraceKind::kFailure};
  const json crash = json::parse(R"({"failures": [{"kind": "crash", "nodes": ["shard_slave_west_1"],
                                                    "at_s": 0.5, "duration_s": 1}]})");
  const auto lines = traced_run(options, crash);
  REQUIRE(lines.size() >= 2);
  CHECK(lines.front()["event"] == "crash");
  CHECK(lines.front()["node"] == "shard_slave_west_1");
  CHECK(lines.front()["t_ns"] == shardsim::from_s(0.5));
}

TEST_CASE("an interrupted run leaves no trace file", "[trace]") {
  const auto dir = fresh_directory("trace-interrupted-" + std::to_string(::getpid()));
  const std::string path = (dir / "trace.jsonl").string();
  std::atomic<bool> interrupt{true};
  {
    TraceOptions options;
    options.path = path;
    EventTrace trace(options);
    shardsim::RunOptions run_options;
    run_options.trace = &trace;
    run_options.interrupt = &interrupt;
    CHECK(shardsim::run_scenario(test_scenario(), run_options).interrupted);
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(std::filesystem::is_empty(dir));
}

TEST_CASE("the command line writes the same trace twice and rejects bad trace options", "[trace][cli]") {
  using shardsim::testing::run_shardsim;
  using shardsim::testing::source_path;
  const std::string seed =
      source_path("scenarios/seed.json") + " --set duration_s=3 --set report.warmup_s=1 -q";
  const auto dir = fresh_directory("trace-cli-" + std::to_string(::getpid()));
  const std::string a = (dir / "a.jsonl").string(), b = (dir / "b.jsonl").string();
  REQUIRE(run_shardsim("run " + seed + " --trace " + a + " --trace-kind commit,apply").exit_code == 0);
  REQUIRE(run_shardsim("run " + seed + " --trace " + b + " --trace-kind commit,apply").exit_code == 0);
  CHECK(!read_file(a).empty());
  CHECK(read_file(a) == read_file(b));

  const auto typo = run_shardsim("run " + seed + " --trace " + a + " --trace-kind comit");
  CHECK(typo.exit_code == 2);
  CHECK(typo.out.find("did you mean 'commit'") != std::string::npos);
  CHECK(run_shardsim("run " + seed + " --trace-node 'x*'").exit_code == 2);
  CHECK(run_shardsim("run " + seed + " --trace " + a + " --trace-from 5 --trace-until 2").exit_code == 2);
  const auto empty = run_shardsim("run " + seed + " --trace " + a + " --trace-node 'no_such_node'");
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.find("the trace is empty") != std::string::npos);
}
