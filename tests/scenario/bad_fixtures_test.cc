// The bad scenarios in scenarios/bad/ fail, each with the messages a user would see.
#include <catch2/catch.hpp>

#include "shardsim/scenario/loader.h"

namespace shardsim {
namespace {

std::string load_file_error(const std::string& name) {
  try {
    load_scenario_file(std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/bad/" + name);
  } catch (const ScenarioError& error) {
    const std::string prefix = std::string(SHARDSIM_SOURCE_DIR) + "/scenarios/bad/";
    std::string text = error.what();
    // Shorten the absolute path to the file name, for readable expectations.
    for (std::size_t at; (at = text.find(prefix)) != std::string::npos;) text.erase(at, prefix.size());
    return text;
  }
  return "loaded";
}

TEST_CASE("bad fixture: a trailing comma", "[scenario]") {
  CHECK(load_file_error("trailing_comma.json") ==
        "trailing_comma.json:6:3: error: at /workload: invalid JSON: syntax error while parsing object key - "
        "unexpected '}'; expected string literal (a trailing comma? JSON allows none before a closing "
        "bracket)");
}

TEST_CASE("bad fixture: typos in keys, enums and geo names", "[scenario]") {
  CHECK(load_file_error("typos.json") ==
        "typos.json:4:27: error: at /caches/india/ttl: unknown key \"ttl\"; did you mean \"ttl_s\"?\n"
        "typos.json:4:54: error: at /caches/india/invalidation: expected one of \"ttl_only\", "
        "\"on_slave_apply\", "
        "found \"on_write\"\n"
        "typos.json:7:15: error: at /workload/india/rate_per_sec: unknown key \"rate_per_sec\"; did you mean "
        "\"rate_per_s\"?\n"
        "typos.json:8:5: error: at /workload/us: unknown geo \"us\"; did you mean \"usa\"?");
}

TEST_CASE("bad fixture: a gap between shards", "[scenario]") {
  CHECK(
      load_file_error("shard_gap.json") ==
      "shard_gap.json:6:19: error: at /shards/1/first_key: expected 334 (the key after the previous shard's "
      "last_key), found 335: key 334 is in no shard");
}

TEST_CASE("bad fixture: every total over its limit", "[scenario]") {
  CHECK(
      load_file_error("limits.json") ==
      "limits.json:3:17: error: at /duration_s: limit exceeded: at most 100000000000 events expected in a "
      "run (about 3 CPU hours), found 1.04e+14: 4.15e+11 from the requests (16 events each at most) and "
      "1.04e+14 from the replication streams' batch timers (duration_s / batch_interval_ms per stream: "
      "shards x 2 + slaves); longer batch_interval_ms or a shorter duration_s\n"
      "limits.json:6:13: error: at /slaves/node/queue_capacity: limit exceeded: at most 20000000 requests "
      "waiting at once, about 100 bytes each (the queue_capacity and servers of every node, at most the "
      "requests of the run; the largest share here: /slaves/node), found 301410009\n"
      "limits.json:6:35: error: at /slaves/per_shard_per_geo: limit exceeded: at most 100000 slaves in total "
      "(shards x slaves per shard, over all geos), found 200000\n"
      "limits.json:7:13: error: at /caches: limit exceeded: at most 100000000 cached keys in total (nodes x "
      "capacity_keys_per_node), found 1000000000\n"
      "limits.json:8:15: error: at /workload: limit exceeded: at most 10000000000 requests in a run "
      "(rate_per_s x "
      "peak shape multiplier x duration_s, over all geos), found 25920000000\n"
      "limits.json:9:35: error: at /report/sample_interval_s: limit exceeded: at most 10000000 samples in a "
      "run "
      "(duration_s / sample_interval_s), found 259200000");
}

}  // namespace
}  // namespace shardsim
