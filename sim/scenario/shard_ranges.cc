#include <limits>

#include <fmt/format.h>

#include "scenario/json_access.h"
#include "scenario/semantic_checks.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

struct Range {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

// "key 7" or "keys 7-9".
std::string keys_text(std::uint64_t first, std::uint64_t last) {
  return first == last ? fmt::format("key {}", first) : fmt::format("keys {}-{}", first, last);
}

// "key 7 is in no shard" or "keys 7-9 are in no shard".
std::string keys_are(std::uint64_t first, std::uint64_t last, const std::string& where) {
  return keys_text(first, last) + (first == last ? " is " : " are ") + where;
}

// The ranges of an array of shards, or nullopt if any is malformed (the schema check says so).
std::optional<std::vector<Range>> ranges_of(const json& document, const json& shards) {
  std::vector<Range> ranges;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const std::string shard = child_pointer("/shards", i);
    const auto first = count_at(document, shard + "/first_key");
    const auto last = count_at(document, shard + "/last_key");
    if (!first || !last) return std::nullopt;
    ranges.push_back({*first, *last});
  }
  return ranges;
}

// Each shard must start right after the previous one ends, the first at the first key, the
// last end at the last key; a shard must not end before it starts.
Findings check_ranges(const std::vector<Range>& ranges, std::uint64_t first_key, std::uint64_t last_key) {
  Findings findings;
  std::uint64_t expected = first_key;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const std::string shard = child_pointer("/shards", i);
    const Range& r = ranges[i];
    if (r.first > r.last) {
      findings.push_back(
          {shard,
           fmt::format("expected first_key <= last_key, found first_key {} > last_key {}", r.first, r.last)});
      return findings;  // the rest would only repeat this mistake
    }
    const std::string why =
        i == 0 ? "the first key: keys.first" : "the key after the previous shard's last_key";
    if (r.first > expected) {
      findings.push_back(
          {shard + "/first_key", fmt::format("expected {} ({}), found {}: {}", expected, why, r.first,
                                             keys_are(expected, r.first - 1, "in no shard"))});
    } else if (r.first < expected) {
      const std::uint64_t overlap_end = std::min(r.last, expected - 1);
      findings.push_back(
          {shard + "/first_key", fmt::format("expected {} ({}), found {}: shards overlap on {}", expected,
                                             why, r.first, keys_text(r.first, overlap_end))});
    }
    expected = r.last + 1;
  }
  const Range& final_range = ranges.back();
  if (final_range.last != last_key) {
    const std::string what = final_range.last < last_key
                                 ? keys_are(final_range.last + 1, last_key, "in no shard")
                                 : keys_are(last_key + 1, final_range.last, "beyond the key space");
    findings.push_back({child_pointer("/shards", ranges.size() - 1) + "/last_key",
                        fmt::format("expected {} (the last key: keys.first + keys.count - 1), found {}: {}",
                                    last_key, final_range.last, what)});
  }
  return findings;
}

}  // namespace

Findings check_shard_ranges(const json& document) {
  const auto first_key = count_at(document, "/keys/first");
  const auto key_count = count_at(document, "/keys/count");
  const json* shards = value_at(document, "/shards");
  if (!first_key || !key_count || *key_count == 0 || !shards) return {};
  if (*first_key > std::numeric_limits<std::uint64_t>::max() - *key_count)
    return {};  // out of range: reported
  if (shards->is_object()) {
    const auto shard_count = count_at(document, "/shards/shard_count");
    if (shard_count && *shard_count > *key_count) {
      return {{"/shards/shard_count",
               fmt::format("expected at most {} shards (keys.count: each shard needs a key), "
                           "found {}",
                           *key_count, *shard_count)}};
    }
    return {};
  }
  if (!shards->is_array() || shards->empty()) return {};
  const auto ranges = ranges_of(document, *shards);
  if (!ranges) return {};
  return check_ranges(*ranges, *first_key, *first_key + *key_count - 1);
}

}  // namespace shardsim::scenario_internal
