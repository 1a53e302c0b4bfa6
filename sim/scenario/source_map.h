// Where each value and key of a JSON text is, so that every issue can name its line and column.
//
// nlohmann::json does not report positions of values, so the loader scans the text a second time
// with a small iterative scanner of its own, recording the byte offset of every value and member
// key under its JSON pointer. The scanner is lenient: it trusts nlohmann to have rejected invalid
// JSON, and on invalid text it is only asked which container was open at the error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "scenario/finding.h"

namespace shardsim::scenario_internal {

struct TextPosition {
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in characters (UTF-8 continuation bytes do not count)
};

// Byte offsets to lines and columns.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  TextPosition at(std::size_t offset) const;  // offsets past the end clamp to the end

 private:
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

class SourceMap {
 public:
  // `text` must be valid JSON (already parsed by nlohmann); it must outlive the map.
  explicit SourceMap(std::string_view text);

  std::optional<TextPosition> value_position(const std::string& pointer) const;
  std::optional<TextPosition> key_position(const std::string& pointer) const;
  // A key given twice in one object (JSON parsers silently keep the last one: a likely mistake).
  const Findings& duplicate_keys() const { return duplicates_; }
  const LineIndex& lines() const { return lines_; }

 private:
  friend class Scanner;
  LineIndex lines_;
  std::unordered_map<std::string, std::size_t> value_offsets_;
  std::unordered_map<std::string, std::size_t> key_offsets_;
  Findings duplicates_;
};

// The JSON pointer of the innermost object or array still open at byte `offset` of a text that
// may be invalid after that point ("" when none is): the context of a syntax error.
std::string open_container_at(std::string_view text, std::size_t offset);

// The deepest nesting of objects and arrays in a text, and the offset where it is first reached;
// checked before parsing so that a pathological file cannot exhaust memory.
struct NestingDepth {
  std::size_t depth = 0;
  std::size_t offset = 0;
  // Values in the text (scalars, objects and arrays: an upper bound counted from the separators,
  // exact for valid JSON), and where the value past `value_limit` starts (when there is one).
  std::size_t values = 0;
  std::size_t value_limit_offset = 0;
};
NestingDepth max_nesting_depth(std::string_view text, std::size_t value_limit = SIZE_MAX);

}  // namespace shardsim::scenario_internal
