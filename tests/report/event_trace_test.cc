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

// The model hands the trace typed events (model/trace_sink.h); the trace alone decides how a line
// looks. These lines are the documented format (docs/metrics.md): a change here changes every
// trace file users keep.
TEST_CASE("the trace renders each typed event of the model as its documented line", "[trace]") {
  using shardsim::FailureNoted;
  using shardsim::JobEvent;
  using shardsim::NodeJob;
  using shardsim::Operation;
  using shardsim::Outcome;
  using shardsim::RequestAnswered;
  using shardsim::RequestIssued;
  using shardsim::WriteCommitted;
  const auto dir = fresh_directory("trace-typed-" + std::to_string(::getpid()));
  TraceOptions options;
  options.path = (dir / "trace.jsonl").string();
  {
    EventTrace trace(options);
    shardsim::TraceSink& sink = trace;  // what the model holds
    sink.request_issued(1000, "clients/india", RequestIssued{7, Operation::kRead, 812, true});
    sink.node_job(1100, "read_api_india", NodeJob{JobEvent::kStart, 7, 0});
    sink.node_job(1200, "cache_india_1", NodeJob{JobEvent::kDropped, 7, 2});
    sink.request_answered(
        2000, "clients/india",
        RequestAnswered{7, Operation::kRead, Outcome::kReadMiss, false, shardsim::from_ms(1.5), 41});
    sink.request_answered(
        2500, "clients/usa",
        RequestAnswered{8, Operation::kSyncWrite, Outcome::kCount, true, shardsim::from_ms(2.25), 99});
    sink.request_answered(
        2600, "clients/usa",
        RequestAnswered{9, Operation::kSyncWrite, Outcome::kSyncWrite, false, shardsim::from_ms(3), 99});
    sink.write_committed(3000, "active_master_global", WriteCommitted{9, 2, 40, 812, false});
    sink.failure_noted(4000, "shard_slave_usa_2", FailureNoted{"crash", ""});
    sink.failure_noted(5000, "shard_slave_usa_2", FailureNoted{"promoted", "a \"quoted\" detail"});
    trace.file().commit();
  }
  std::vector<std::string> lines;
  std::istringstream in(read_file(options.path));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const std::vector<std::string> expected = {
      R"({"t_ns":1000,"kind":"request","node":"clients/india","request":7,"op":"read","key":812,"hot":true})",
      R"({"t_ns":1100,"kind":"node","node":"read_api_india","event":"start","request":7})",
      R"({"t_ns":1200,"kind":"node","node":"cache_india_1","event":"dropped","request":7,"flag":2})",
      R"({"t_ns":2000,"kind":"answer","node":"clients/india","request":7,"outcome":"read_miss","latency_ms":1.500000,"version":41})",
      R"({"t_ns":2500,"kind":"answer","node":"clients/usa","request":8,"failed":true,"op":"sync_write","latency_ms":2.250000})",
      R"({"t_ns":2600,"kind":"answer","node":"clients/usa","request":9,"outcome":"sync_write","latency_ms":3.000000})",
      R"({"t_ns":3000,"kind":"commit","node":"active_master_global","request":9,"shard":2,"position":40,"key":812,"async":false})",
      R"({"t_ns":4000,"kind":"failure","node":"shard_slave_usa_2","event":"crash","detail":""})",
      R"({"t_ns":5000,"kind":"failure","node":"shard_slave_usa_2","event":"promoted","detail":"a \"quoted\" detail"})",
  };
  CHECK(lines == expected);
}
