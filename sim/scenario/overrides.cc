#include "scenario/overrides.h"

#include <algorithm>
#include <optional>
#include <variant>

#include <fmt/format.h>

#include "scenario/limits.h"
#include "scenario/source_map.h"
#include "scenario/wording.h"
#include "shardsim/util/json_pointer.h"

namespace shardsim::scenario_internal {
namespace {

using nlohmann::json;

struct OverrideError {
  std::string pointer;
  std::string message;
};

// Splits a dotted path (workload.india.rate_per_s) or a JSON pointer (/workload/india/rate_per_s).
std::variant<std::vector<std::string>, std::string> path_segments(const std::string& path) {
  if (path.starts_with('/')) {
    auto segments = split_json_pointer(path);
    if (!segments) return std::string(R"(bad JSON pointer: write "~" as "~0" and "/" as "~1")");
    return *std::move(segments);
  }
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(path.find('.', start), path.size());
    segments.push_back(path.substr(start, end - start));
    if (segments.back().empty()) return std::string("empty key in a dotted path");
    if (end == path.size()) return segments;
    start = end + 1;
  }
}

// Whether `text` is UTF-8, as every string of a JSON document must be (a command line argument
// need not be: an invalid one would reach the effective scenario, which cannot then be written).
bool is_utf8(const std::string& text) {
  try {
    static_cast<void>(json(text).dump());
    return true;
  } catch (const json::type_error&) {
    return false;
  }
}

json parse_override_value(const std::string& text) {
  json value = json::parse(text, nullptr, false);
  return value.is_discarded() ? json(text) : value;
}

// The value to store at segments[first] when that member is missing: the rest of the path
// becomes nested objects around `value`.
json nest(const std::vector<std::string>& segments, std::size_t first, json value) {
  for (std::size_t i = segments.size() - 1; i > first; --i) {
    json wrapper = json::object();
    wrapper[segments[i]] = std::move(value);
    value = std::move(wrapper);
  }
  return value;
}

// Walks `segments` from the root and sets the last one to `value`, creating missing object
// members. Nothing changes on error. Returns the pointer of the shallowest node created or
// replaced, or the error.
std::variant<std::string, OverrideError> set_path(json& document, const std::vector<std::string>& segments,
                                                  json value) {
  json* node = &document;
  std::string pointer;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const std::string parent = pointer.empty() ? std::string("/") : pointer;
    if (node->is_array()) {
      const auto index = pointer_index(segment);
      if (!index) {
        return OverrideError{
            pointer, fmt::format("{} is an array: expected an item index, found {}", parent, quote(segment))};
      }
      if (*index >= node->size()) {
        return OverrideError{child_pointer(pointer, *index),
                             fmt::format("index {} is out of range: {} has {} item{}", *index, parent,
                                         node->size(), node->size() == 1 ? "" : "s")};
      }
      pointer = child_pointer(pointer, *index);
      node = &(*node)[*index];
      continue;
    }
    if (!node->is_object()) {
      return OverrideError{pointer, fmt::format("{} is {}, not an object: it has no member {}", parent,
                                                describe_value(*node), quote(segment))};
    }
    pointer = child_pointer(pointer, segment);
    if (!node->contains(segment)) {
      (*node)[segment] = nest(segments, i, std::move(value));
      return pointer;
    }
    node = &(*node)[segment];
  }
  *node = std::move(value);
  return pointer;
}

}  // namespace

std::string from_override_suffix(const std::string& override_text) {
  return fmt::format(" (from --set {})", override_text);
}

Findings apply_overrides(json& document, const std::vector<std::string>& overrides,
                         std::vector<AppliedOverride>& applied) {
  Findings findings;
  for (const auto& text : overrides) {
    if (!is_utf8(text)) {
      const std::string shown = quote(text);  // invalid bytes shown as U+FFFD
      findings.push_back({"", fmt::format("expected UTF-8 text, found {}{}", shown,
                                          from_override_suffix(shown.substr(1, shown.size() - 2)))});
      continue;
    }
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos || equals == 0) {
      findings.push_back(
          {"", fmt::format("expected PATH=VALUE, found {}{}", quote(text), from_override_suffix(text))});
      continue;
    }
    const std::string path = text.substr(0, equals);
    auto segments = path_segments(path);
    if (auto* error = std::get_if<std::string>(&segments)) {
      findings.push_back({"", fmt::format("cannot use {} as a path: {}{}", quote(path), *error,
                                          from_override_suffix(text))});
      continue;
    }
    const auto& path_parts = std::get<std::vector<std::string>>(segments);
    const std::string value_text = text.substr(equals + 1);
    // The file's nesting limit holds for the path and the value too: the checks and copies of a
    // document recurse. Checked before the value is parsed (and copied); a value that is not JSON
    // is a string, which does not nest.
    std::size_t depth = path_parts.size();
    if (const std::size_t value_depth = max_nesting_depth(value_text).depth;
        value_depth > depth && json::accept(value_text)) {
      depth = value_depth;
    }
    if (depth > kMaxNestingDepth) {
      findings.push_back({"", fmt::format("limit exceeded: at most {} nested objects and arrays, found {}{}",
                                          kMaxNestingDepth, depth, from_override_suffix(text))});
      continue;
    }
    auto result = set_path(document, path_parts, parse_override_value(value_text));
    if (auto* error = std::get_if<OverrideError>(&result)) {
      findings.push_back({error->pointer, error->message + from_override_suffix(text)});
    } else {
      applied.push_back({text, std::get<std::string>(result)});
    }
  }
  return findings;
}

}  // namespace shardsim::scenario_internal
