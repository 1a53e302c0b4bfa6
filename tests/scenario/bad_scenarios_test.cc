// Bad scenarios and the exact messages users see: file:line:col, the JSON pointer, and the text.
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

// What loading `text` (labelled t.json) reports, one issue per line; "loaded" if nothing.
std::string load_error(std::string_view text, std::vector<std::string> overrides = {}) {
  try {
    load_scenario_text(text, "t.json", LoadOptions{std::move(overrides), std::nullopt});
  } catch (const ScenarioError& error) {
    return error.what();
  }
  return "loaded";
}

std::size_t issue_count(std::string_view text, std::vector<std::string> overrides = {}) {
  try {
    load_scenario_text(text, "t.json", LoadOptions{std::move(overrides), std::nullopt});
  } catch (const ScenarioError& error) {
    return error.issues().size();
  }
  return 0;
}

TEST_CASE("a syntax error gives its line, column and container, with a hint", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": 10},}\n}\n") ==
        "t.json:3:40: error: at /workload: invalid JSON: syntax error while parsing object key - unexpected "
        "'}'; "
        "expected string literal (a trailing comma? JSON allows none before a closing bracket)");
  CHECK(
      load_error("{\n  \"geos\": [\"a\"]\n  \"workload\": {\"a\": {\"rate_per_s\": 10}}\n}\n") ==
      "t.json:3:3: error: at /: invalid JSON: syntax error while parsing object - unexpected string literal; "
      "expected '}' (a missing comma?)");
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": 10}\n") ==
        "t.json:4:1: error: at /workload: invalid JSON: syntax error while parsing object - unexpected end "
        "of input; "
        "expected '}'");
  CHECK(load_error("") ==
        "t.json:1:1: error: at /: invalid JSON: syntax error while parsing value - unexpected end of input; "
        "expected '[', '{', or a literal");
}

TEST_CASE("a comment in a scenario gets a hint: JSON has none", "[scenario]") {
  for (const std::string& text : {std::string("{\n  // the seed\n  \"geos\": [\"a\"], \"workload\": {}\n}\n"),
                                  std::string("{\n  \"geos\": [\"a\"], /* one geo */ \"workload\": {}\n}\n"),
                                  std::string("{\"geos\": [\"a\"], \"workload\": {} // done\n}\n")}) {
    INFO(text);
    const std::string error = load_error(text);
    CHECK(error.find("invalid JSON") != std::string::npos);
    CHECK(error.find("(JSON has no comments; use a \"notes\" string)") != std::string::npos);
  }
  // A slash elsewhere gets no such hint.
  CHECK(load_error("{\"geos\": [\"a\"], \"workload\": {}, \"seed\": 1/2}").find("comments") ==
        std::string::npos);
}

TEST_CASE("a value of the wrong type", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": \"fast\"}}\n}\n") ==
        "t.json:3:36: error: at /workload/a/rate_per_s: expected a number, found \"fast\"");
  CHECK(load_error("[1, 2]") == "t.json:1:1: error: at /: expected an object, found an array");
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n  \"keys\": {\"count\": 1e6},\n  \"workload\": {\"a\": "
                   "{\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:21: error: at /keys/count: expected an integer, found 1000000.0 (write integers without a "
        "decimal "
        "point or exponent)");
}

TEST_CASE("a negative rate", "[scenario]") {
  CHECK(
      load_error(
          "{\n  \"geos\": [\"india\"],\n  \"workload\": {\n    \"india\": {\"rate_per_s\": -5}\n  }\n}\n") ==
      "t.json:4:29: error: at /workload/india/rate_per_s: expected a number >= 0, found -5");
}

TEST_CASE("an unknown key gets a did-you-mean, and no 'missing' for the key it meant", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"india\"],\n  \"workload\": {\n    \"india\": {\"rate_per_sec\": 100}\n "
                   " }\n}\n") ==
        "t.json:4:15: error: at /workload/india/rate_per_sec: unknown key \"rate_per_sec\"; did you mean "
        "\"rate_per_s\"?");
}

TEST_CASE("an unknown geo gets a did-you-mean, or the list of geos", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"india\", \"usa\"],\n  \"global_master\": {\"active_geo\": \"indai\"},\n"
                   "  \"workload\": {\"india\": {\"rate_per_s\": 1}, \"mars\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:35: error: at /global_master/active_geo: unknown geo \"indai\"; did you mean \"india\"?\n"
        "t.json:4:44: error: at /workload/mars: unknown geo \"mars\"; the geos are \"india\", \"usa\"");
}

TEST_CASE("a value outside an enum", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n  \"caches\": {\"a\": {\"invalidation\": \"lru\"}},\n"
                   "  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:36: error: at /caches/a/invalidation: expected one of \"ttl_only\", \"on_slave_apply\", "
        "found \"lru\"");
}

TEST_CASE("shard ranges with a gap or an overlap", "[scenario]") {
  const std::string head =
      "{\n  \"geos\": [\"a\"],\n  \"keys\": {\"first\": 1, \"count\": 1000},\n  \"shards\": [\n";
  const std::string tail = "  ],\n  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n";
  CHECK(
      load_error(head +
                 "    {\"first_key\": 1, \"last_key\": 333},\n    {\"first_key\": 340, \"last_key\": 666},\n"
                 "    {\"first_key\": 667, \"last_key\": 1000}\n" +
                 tail) ==
      "t.json:6:19: error: at /shards/1/first_key: expected 334 (the key after the previous shard's "
      "last_key), "
      "found 340: keys 334-339 are in no shard");
  CHECK(
      load_error(head +
                 "    {\"first_key\": 1, \"last_key\": 333},\n    {\"first_key\": 300, \"last_key\": 666},\n"
                 "    {\"first_key\": 667, \"last_key\": 999}\n" +
                 tail) ==
      "t.json:6:19: error: at /shards/1/first_key: expected 334 (the key after the previous shard's "
      "last_key), "
      "found 300: shards overlap on keys 300-333\n"
      "t.json:7:36: error: at /shards/2/last_key: expected 1000 (the last key: keys.first + keys.count - 1), "
      "found "
      "999: key 1000 is in no shard");
  CHECK(load_error(head + "    {\"first_key\": 5, \"last_key\": 1}\n" + tail) ==
        "t.json:5:5: error: at /shards/0: expected first_key <= last_key, found first_key 5 > last_key 1");
  CHECK(load_error("{\"geos\": [\"a\"], \"shards\": {\"shard_count\": 2000}, \"workload\": {}}") ==
        "t.json:1:43: error: at /shards/shard_count: expected at most 1000 shards (keys.count: each shard "
        "needs a "
        "key), found 2000");
}

TEST_CASE("distribution parameters that contradict each other", "[scenario]") {
  CHECK(load_error("{\n  \"geos\": [\"a\"],\n"
                   "  \"network\": {\"inter_geo_latency_ms\": {\"dist\": \"lognormal\", \"median\": 95, "
                   "\"p99\": 60}},\n"
                   "  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:82: error: at /network/inter_geo_latency_ms/p99: expected p99 >= median (95), found 60");
  CHECK(load_error(
            "{\n  \"geos\": [\"a\"],\n  \"edge\": {\"dns_lookup_ms\": {\"dist\": \"empirical\", "
            "\"percentiles\": "
            "[[10, 1], [50, 0.5], [50, 3], [99, 4]]}},\n  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:68: error: at /edge/dns_lookup_ms/percentiles/0/0: expected the first percentile to be 0, "
        "found 10\n"
        "t.json:3:81: error: at /edge/dns_lookup_ms/percentiles/1/1: expected a value >= 1 (the previous "
        "one), found "
        "0.5\n"
        "t.json:3:88: error: at /edge/dns_lookup_ms/percentiles/2/0: expected a percentile > 50 (the "
        "previous one), "
        "found 50\n"
        "t.json:3:97: error: at /edge/dns_lookup_ms/percentiles/3/0: expected the last percentile to be 100, "
        "found 99");
  CHECK(load_error("{\"geos\": [\"a\"], \"edge\": {\"cdn_response_ms\": \"5ms\"}, \"workload\": {}}") ==
        "t.json:1:45: error: at /edge/cdn_response_ms: expected a number or an object, found \"5ms\"");
  CHECK(
      load_error("{\"geos\": [\"a\"], \"edge\": {\"cdn_response_ms\": {\"median\": 3}}, \"workload\": {}}") ==
      "t.json:1:45: error: at /edge/cdn_response_ms: missing required key \"dist\" (one of \"constant\", "
      "\"uniform\", \"exponential\", \"normal\", \"lognormal\", \"pareto\", \"empirical\", \"mixture\", "
      "\"preset\")");
}

TEST_CASE("several errors are reported together, in file order", "[scenario]") {
  const std::string text =
      "{\n  \"geos\": [\"india\", \"usa\"],\n  \"duration_s\": 30,\n  \"caches\": {\"india\": {\"nodes\": "
      "-1}},\n"
      "  \"network\": {\"intra_geo_latency_ms\": {\"dist\": \"lognorm\", \"median\": 1, \"p99\": 5}},\n"
      "  \"workload\": {\n    \"india\": {\"rate_per_sec\": 10, \"read_fraction\": 1.5},\n"
      "    \"usa\": {\"rate_per_s\": 5, \"keys\": {\"dist\": \"zipf\"}}\n  },\n"
      "  \"report\": {\"warmup_s\": 30},\n  \"colour\": \"blue\"\n}\n";
  CHECK(issue_count(text) == 7);
  CHECK(
      load_error(text) ==
      "t.json:4:33: error: at /caches/india/nodes: expected an integer >= 0, found -1\n"
      "t.json:5:48: error: at /network/intra_geo_latency_ms/dist: expected one of \"constant\", \"uniform\", "
      "\"exponential\", \"normal\", \"lognormal\", \"pareto\", \"empirical\", \"mixture\", \"preset\", found "
      "\"lognorm\"; did you "
      "mean "
      "\"lognormal\"?\n"
      "t.json:7:15: error: at /workload/india/rate_per_sec: unknown key \"rate_per_sec\"; did you mean "
      "\"rate_per_s\"?\n"
      "t.json:7:52: error: at /workload/india/read_fraction: expected a number between 0 and 1, found 1.5\n"
      "t.json:8:38: error: at /workload/usa/keys: missing required key \"exponent\"\n"
      "t.json:10:26: error: at /report/warmup_s: expected warmup_s < duration_s (30), found 30\n"
      "t.json:11:3: error: at /colour: unknown key \"colour\"; the keys allowed here are \"$schema\", "
      "\"async_path\", \"caches\", \"description\", \"durability\", \"duration_s\", \"edge\", \"failover\", "
      "\"failures\", "
      "\"front_end\", \"geos\", "
      "\"global_master\", \"keys\", \"load_balancers\", \"name\", \"network\", \"notes\", \"replication\", "
      "\"report\", \"seed\", \"shard_masters\", \"shards\", \"slaves\", \"workload\"");
}

TEST_CASE("limits are checked up front and named", "[scenario]") {
  CHECK(
      load_error("{\n  \"geos\": [\"a\"],\n  \"keys\": {\"count\": 2000000000000},\n"
                 "  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
      "t.json:3:21: error: at /keys/count: limit exceeded: at most 1000000000000 keys, found 2000000000000");
  CHECK(load_error("{\n  \"geos\": [\"a\", \"b\"],\n  \"duration_s\": 86400,\n  \"workload\": {\n"
                   "    \"a\": {\"rate_per_s\": 100000, \"shape\": {\"kind\": \"spike\", \"at_s\": 10, "
                   "\"length_s\": 5, "
                   "\"multiplier\": 3}},\n    \"b\": {\"rate_per_s\": 50000}\n  }\n}\n") ==
        "t.json:4:15: error: at /workload: limit exceeded: at most 10000000000 requests in a run (rate_per_s "
        "x peak "
        "shape multiplier x duration_s, over all geos), found 30240000000");
  CHECK(load_error("{\"geos\": [\"a\"], \"workload\": {}, \"report\": {\"sample_interval_s\": 0.0001}}") ==
        "t.json:1:65: error: at /report/sample_interval_s: limit exceeded: at least 0.001 seconds between "
        "samples, "
        "found 0.0001");
  CHECK(load_error(R"({"geos": ["a"], "workload": {}})",
                   {"caches.a.nodes=1001", "load_balancers.clb.vnodes_per_node=10000"}) ==
        "t.json: error: at /load_balancers/clb/vnodes_per_node: limit exceeded: at most 10000000 points on a "
        "ring "
        "(cache nodes of a geo x vnodes_per_node), found 10010000 (from --set "
        "load_balancers.clb.vnodes_per_node=10000)");
  std::string many_geos = R"({"workload": {}, "geos": ["g0")";
  for (int i = 1; i <= 64; ++i) many_geos += ", \"g" + std::to_string(i) + "\"";
  CHECK(load_error(many_geos + "]}") ==
        "t.json:1:26: error: at /geos: limit exceeded: at most 64 geos, found 65");
  CHECK(load_error(std::string("{\"geos\": [\"a\"], \"workload\": {}, \"notes\": ") + std::string(70, '[') +
                   std::string(70, ']') + "}") ==
        "t.json:1:111: error: at /: limit exceeded: at most 64 nested objects and arrays, found 71");
}

TEST_CASE("a bad --set path is reported with the override", "[scenario]") {
  const std::string text =
      "{\n  \"geos\": [\"a\"],\n  \"shards\": [{\"first_key\": 1, \"last_key\": 1000}],\n"
      "  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n";
  CHECK(load_error(text, {"shards.3.last_key=5"}) ==
        "t.json: error: at /shards/3: index 3 is out of range: /shards has 1 item (from --set "
        "shards.3.last_key=5)");
  CHECK(load_error(text, {"shards.x.last_key=5"}) ==
        "t.json: error: at /shards: /shards is an array: expected an item index, found \"x\" (from --set "
        "shards.x.last_key=5)");
  CHECK(load_error(text, {"geos.0.name=b"}) ==
        "t.json: error: at /geos/0: /geos/0 is \"a\", not an object: it has no member \"name\" (from --set "
        "geos.0.name=b)");
  CHECK(load_error(text, {"rate"}) ==
        "t.json: error: at /: expected PATH=VALUE, found \"rate\" (from --set rate)");
  CHECK(load_error(text, {"/a~2b=1"}) ==
        "t.json: error: at /: cannot use \"/a~2b\" as a path: bad JSON pointer: write \"~\" as \"~0\" and "
        "\"/\" as "
        "\"~1\" (from --set /a~2b=1)");
}

TEST_CASE("a --set override can fix an error or introduce one", "[scenario]") {
  const std::string negative = "{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": -1}}\n}\n";
  CHECK(load_error(negative) ==
        "t.json:3:36: error: at /workload/a/rate_per_s: expected a number >= 0, found -1");
  CHECK(load_error(negative, {"workload.a.rate_per_s=20"}) == "loaded");

  const std::string good = "{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n";
  CHECK(load_error(good, {"workload.a.rate_per_s=-3", "/caches/a={\"ttl_s\": \"long\"}",
                          "workload.a.read_fractoin=0.5"}) ==
        "t.json: error: at /caches/a/ttl_s: expected a number, found \"long\" (from --set "
        "/caches/a={\"ttl_s\": "
        "\"long\"})\n"
        "t.json: error: at /workload/a/rate_per_s: expected a number >= 0, found -3 (from --set "
        "workload.a.rate_per_s=-3)\n"
        "t.json: error: at /workload/a/read_fractoin: unknown key \"read_fractoin\"; did you mean "
        "\"read_fraction\"? "
        "(from --set workload.a.read_fractoin=0.5)");
}

TEST_CASE("a key given twice is an error, not a silent overwrite", "[scenario]") {
  CHECK(
      load_error(
          "{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": 1, \"rate_per_s\": 2}}\n}\n") ==
      "t.json:3:39: error: at /workload/a/rate_per_s: duplicate key \"rate_per_s\" (first given at line 3, "
      "column "
      "22)");
}

TEST_CASE("missing required keys, steps out of order, links set twice", "[scenario]") {
  CHECK(load_error("{\n  \"name\": \"x\"\n}\n") ==
        "t.json:1:1: error: at /: missing required key \"geos\"\n"
        "t.json:1:1: error: at /: missing required key \"workload\"");
  CHECK(
      load_error(
          "{\n  \"geos\": [\"a\"],\n  \"workload\": {\"a\": {\"rate_per_s\": 1, \"shape\": {\"kind\": "
          "\"steps\", "
          "\"steps\": [{\"from_s\": 10, \"multiplier\": 2}, {\"from_s\": 5, \"multiplier\": 1}]}}}\n}\n") ==
      "t.json:3:120: error: at /workload/a/shape/steps/1/from_s: expected from_s > 10 (the previous step's), "
      "found 5");
  CHECK(load_error(
            "{\n  \"geos\": [\"a\", \"b\"],\n  \"network\": {\"links\": [{\"between\": [\"a\", \"b\"], "
            "\"latency_ms\": 10}, {\"from\": \"b\", \"to\": \"a\", \"latency_ms\": 12}, {\"from\": \"a\", "
            "\"latency_ms\": 3}]},\n  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:3:68: error: at /network/links/1: expected each direction to be set once, found b -> a again "
        "(first "
        "set by /network/links/0)\n"
        "t.json:3:112: error: at /network/links/2: missing required key \"to\"");
}

TEST_CASE("columns count characters, not bytes", "[scenario]") {
  CHECK(load_error("{\n  \"name\": \"caf\xC3\xA9 \xE2\x98\x95\", \"geos\": [\"a\"], \"seed\": -1,\n"
                   "  \"workload\": {\"a\": {\"rate_per_s\": 1}}\n}\n") ==
        "t.json:2:44: error: at /seed: expected an integer >= 0, found -1");
}

TEST_CASE("geo names must be well formed and unique", "[scenario]") {
  CHECK(load_error("{\"geos\": [\"a\", \"Usa\", \"a\"], \"workload\": {}}") ==
        "t.json:1:16: error: at /geos/1: expected a geo name: a lowercase letter, then lowercase letters, "
        "digits or underscores, found \"Usa\"; did you mean \"usa\"?\n"
        "t.json:1:23: error: at /geos/2: expected unique items, found \"a\" again (first at /geos/0)");
}

TEST_CASE("a badly spelled geo is named in words and only well-formed names are suggested", "[scenario]") {
  // The reference "europe" is the well-formed spelling of the list's "Europe": say so, never
  // suggest "Europe".
  const std::string europe = load_error(
      R"({"geos": ["india", "Europe"], "workload": {"india": {"rate_per_s": 1}, "europe": {"rate_per_s": 1}}})");
  CHECK(
      europe ==
      "t.json:1:20: error: at /geos/1: expected a geo name: a lowercase letter, then lowercase letters, "
      "digits or underscores, found \"Europe\"; did you mean \"europe\"?\n"
      "t.json:1:72: error: at /workload/europe: unknown geo \"europe\"; /geos/1 spells it \"Europe\", which "
      "is not a valid geo name: write \"europe\" there");
  CHECK(europe.find("did you mean \"Europe\"") == std::string::npos);
  // A typo of a badly spelled geo is offered its well-formed spelling.
  const std::string typo =
      load_error(R"({"geos": ["india", "Europe"], "workload": {"india": {"rate_per_s": 1}, "europa": {}}})");
  CHECK(typo.find("unknown geo \"europa\"; did you mean \"europe\"?") != std::string::npos);
  // Characters no geo name has: the suggestion writes them as underscores.
  CHECK(load_error(R"({"geos": ["us-east"], "workload": {}})").find("did you mean \"us_east\"?") !=
        std::string::npos);
  // Nothing to suggest when tidying does not give a name (it must start with a letter).
  CHECK(load_error(R"({"geos": ["1a"], "workload": {}})").find("did you mean") == std::string::npos);
}

TEST_CASE("at most 100 issues are listed", "[scenario]") {
  std::string text = R"({"geos": ["a"], "workload": {}, "shards": [)";
  for (int i = 0; i < 150; ++i) text += std::string(i ? "," : "") + R"({"first_key": "x", "last_key": 1})";
  text += "]}";
  try {
    load_scenario_text(text, "t.json");
    FAIL("loaded");
  } catch (const ScenarioError& error) {
    REQUIRE(error.issues().size() == 101);
    CHECK(error.issues()[0].message == "expected an integer, found \"x\"");
    CHECK(format_issue(error.issues()[100]) ==
          "t.json: error: at /: 50 more issues not shown (the first 100 are above)");
  }
}

TEST_CASE("a file that cannot be read", "[scenario]") {
  try {
    load_scenario_file("/nonexistent/scenario.json");
    FAIL("loaded a missing file");
  } catch (const ScenarioError& error) {
    CHECK(std::string(error.what()) ==
          "/nonexistent/scenario.json: error: at /: cannot read the file: no such file");
  }
}

}  // namespace
}  // namespace shardsim
