// Did-you-mean suggestions.
#include <catch2/catch.hpp>

#include "scenario/suggest.h"

namespace shardsim::scenario_internal {
namespace {

TEST_CASE("edit distance counts adjacent transpositions as one edit", "[scenario]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("servers", "sevrers") == 1);
  CHECK(edit_distance("rate_per_sec", "rate_per_s") == 2);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("closest match suggests plausible typos only", "[scenario]") {
  const std::vector<std::string> keys = {"rate_per_s", "read_fraction", "static_fraction", "keys", "shape"};
  CHECK(closest_match("rate_per_sec", keys) == "rate_per_s");
  CHECK(closest_match("read_fractoin", keys) == "read_fraction");
  CHECK(closest_match("Keys", keys) == "keys");
  CHECK(closest_match("shap", keys) == "shape");
  CHECK_FALSE(closest_match("colour", keys));
  CHECK_FALSE(closest_match("x", {"y"}));  // one letter for one letter is not a typo
  CHECK(closest_match("indai", {"india", "usa"}) == "india");
  CHECK(closest_match("uas", {"india", "usa"}) == "usa");
}

}  // namespace
}  // namespace shardsim::scenario_internal
