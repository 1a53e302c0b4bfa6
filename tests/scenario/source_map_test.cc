// Positions of values and keys, for error messages.
#include <catch2/catch.hpp>

#include "scenario/source_map.h"

namespace shardsim::scenario_internal {
namespace {

TEST_CASE("the source map finds every value and key by JSON pointer", "[scenario]") {
  const std::string text = "{\n  \"a\": [10, {\"b/c\": \"x\"}],\n  \"d~\": {\"e\": null}\n}";
  const SourceMap map(text);
  const auto at = [&map](const std::string& pointer) {
    const auto p = map.value_position(pointer);
    return p ? std::make_pair(p->line, p->column) : std::make_pair(0, 0);
  };
  CHECK(at("") == std::make_pair(1, 1));
  CHECK(at("/a") == std::make_pair(2, 8));
  CHECK(at("/a/0") == std::make_pair(2, 9));
  CHECK(at("/a/1") == std::make_pair(2, 13));
  CHECK(at("/a/1/b~1c") == std::make_pair(2, 21));
  CHECK(at("/d~0/e") == std::make_pair(3, 15));
  CHECK(at("/nope") == std::make_pair(0, 0));
  const auto key = map.key_position("/d~0");
  REQUIRE(key);
  CHECK(key->line == 3);
  CHECK(key->column == 3);
  CHECK(map.duplicate_keys().empty());
}

TEST_CASE("a byte order mark is skipped", "[scenario]") {
  const SourceMap map("\xEF\xBB\xBF{\"a\": 1}");
  REQUIRE(map.value_position("/a"));
  CHECK(map.value_position("/a")->column == 7);
}

TEST_CASE("keys with escapes are decoded", "[scenario]") {
  const SourceMap map(R"({"a\"b": 1, "\u00e9": 2})");
  CHECK(map.value_position("/a\"b"));
  CHECK(map.value_position("/\xC3\xA9"));
}

TEST_CASE("duplicate keys are found", "[scenario]") {
  const SourceMap map("{\"x\": 1,\n \"x\": 2}");
  REQUIRE(map.duplicate_keys().size() == 1);
  CHECK(map.duplicate_keys()[0].pointer == "/x");
  CHECK(map.duplicate_keys()[0].message == "duplicate key \"x\" (first given at line 1, column 2)");
  CHECK(map.key_position("/x")->line == 2);  // the one that counts
}

TEST_CASE("line index counts characters, and clamps past the end", "[scenario]") {
  const std::string text = "ab\n\xC3\xA9x\n";
  const LineIndex lines(text);
  CHECK(lines.at(0).line == 1);
  CHECK(lines.at(5).line == 2);
  CHECK(lines.at(5).column == 2);  // the x, after a two-byte character
  CHECK(lines.at(100).line == 3);
}

TEST_CASE("the open container at a syntax error", "[scenario]") {
  const std::string text = R"({"a": {"b": [1, 2 }})";
  CHECK(open_container_at(text, text.find('}')) == "/a/b");
  CHECK(open_container_at(text, 0) == "");
}

TEST_CASE("nesting depth is measured outside strings", "[scenario]") {
  CHECK(max_nesting_depth(R"({"a": [[1]], "b": "[[[["})").depth == 3);
  CHECK(max_nesting_depth("1").depth == 0);
}

}  // namespace
}  // namespace shardsim::scenario_internal
