// The one JSON pointer implementation (RFC 6901) that overrides, checks, sweeps and compare share.
#include "shardsim/util/json_pointer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "shardsim/report/metric_at.h"

namespace shardsim {
namespace {

using nlohmann::json;
using Segments = std::vector<std::string>;

TEST_CASE("a pointer splits into unescaped segments", "[util][json_pointer]") {
  CHECK(split_json_pointer("") == Segments{});
  CHECK(split_json_pointer("/") == Segments{""});
  CHECK(split_json_pointer("/geos/0") == Segments{"geos", "0"});
  CHECK(split_json_pointer("/a~1b/c~0d//") == Segments{"a/b", "c~d", "", ""});
  // "~01" is "~" then "1", not "/" (RFC 6901 section 4: unescape ~1 before ~0, never twice).
  CHECK(split_json_pointer("/~01") == Segments{"~1"});
}

TEST_CASE("a malformed pointer is refused, not guessed at", "[util][json_pointer]") {
  CHECK_FALSE(split_json_pointer("geos/0"));  // no leading '/'
  CHECK_FALSE(split_json_pointer("/a~2"));    // only ~0 and ~1 exist
  CHECK_FALSE(split_json_pointer("/a~"));
  CHECK_FALSE(split_json_pointer("/~/b"));
}

TEST_CASE("escape and split are inverse", "[util][json_pointer]") {
  for (const std::string key : {"plain", "a/b", "~", "~1", "/~/", ""}) {
    CHECK(split_json_pointer(child_pointer("", key)) == Segments{key});
  }
  CHECK(child_pointer("/failures", std::size_t{12}) == "/failures/12");
}

TEST_CASE("array indices are digits without a leading zero", "[util][json_pointer]") {
  CHECK(pointer_index("0") == 0u);
  CHECK(pointer_index("17") == 17u);
  CHECK_FALSE(pointer_index("01"));
  CHECK_FALSE(pointer_index(""));
  CHECK_FALSE(pointer_index("-"));
  CHECK_FALSE(pointer_index("+1"));
  CHECK_FALSE(pointer_index("1e3"));
  CHECK_FALSE(pointer_index("99999999999999999999999999"));  // overflow: a miss, not a wrap
}

TEST_CASE("value_at follows members and items, and misses cleanly", "[util][json_pointer]") {
  const json document = json::parse(R"({"a/b": {"~": [10, 20]}, "list": [{"x": 1}], "n": 5})");
  REQUIRE(value_at(document, "") == &document);
  CHECK(*value_at(document, "/a~1b/~0/1") == 20);
  CHECK(*value_at(document, "/list/0/x") == 1);
  CHECK(value_at(document, "/list/1") == nullptr);
  CHECK(value_at(document, "/list/00") == nullptr);
  CHECK(value_at(document, "/n/0") == nullptr);   // through a scalar
  CHECK(value_at(document, "/a~2b") == nullptr);  // malformed
  CHECK(value_at(document, "n") == nullptr);
}

TEST_CASE("pointer_within is a prefix by whole segments", "[util][json_pointer]") {
  CHECK(pointer_within("/a/b", "/a"));
  CHECK(pointer_within("/a", "/a"));
  CHECK_FALSE(pointer_within("/ab", "/a"));
  CHECK(pointer_within("/anything", ""));
}

TEST_CASE("a metric is a number or a boolean read as 1/0", "[report][metric_at]") {
  const json report = json::parse(R"({"ok": true, "bad": false, "p": 2.5, "s": "x", "z": null})");
  CHECK(metric_at(report, "/ok")->value == 1.0);
  CHECK(metric_at(report, "/ok")->from_boolean);
  CHECK(metric_at(report, "/bad")->value == 0.0);
  CHECK(metric_at(report, "/p")->value == 2.5);
  CHECK_FALSE(metric_at(report, "/p")->from_boolean);
  CHECK_FALSE(metric_at(report, "/s"));
  CHECK_FALSE(metric_at(report, "/z"));
  CHECK_FALSE(metric_at(report, "/missing"));
  CHECK_FALSE(metric_at(report, "/p~9"));
}

}  // namespace
}  // namespace shardsim
