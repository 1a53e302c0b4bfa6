#include "scenario/schema_check.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "scenario/schema_nav.h"
#include "scenario/suggest.h"
#include "scenario/wording.h"

namespace shardsim::scenario_internal {
namespace {

std::string type_word(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "object") return "an object";
  if (type == "array") return "an array";
  if (type == "boolean") return "true or false";
  if (type == "null") return "null";
  return "a " + type;
}

// "a number", "a string or an array", from the "type" of one or several schemas.
std::string expected_types(const std::vector<const json*>& schemas) {
  std::vector<std::string> words;
  const auto add = [&words](const std::string& type) {
    const std::string word = type_word(type);
    if (std::find(words.begin(), words.end(), word) == words.end()) words.push_back(word);
  };
  for (const json* schema : schemas) {
    const json& type = (*schema)["type"];
    if (type.is_string()) {
      add(type.get<std::string>());
    } else {
      for (const auto& one : type) add(one.get<std::string>());
    }
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    out += i == 0 ? "" : i + 1 == words.size() ? " or " : ", ";
    out += words[i];
  }
  return out;
}

std::vector<std::string> string_list(const json& values) {
  std::vector<std::string> out;
  for (const auto& value : values) out.push_back(value.is_string() ? value.get<std::string>() : value.dump());
  return out;
}

// "one of "a", "b"" for a list of strings.
std::string one_of(const std::vector<std::string>& choices) {
  return "one of " + quoted_list(choices);
}

const std::regex& cached_regex(const std::string& pattern) {
  // The schema has one or two patterns; per thread, so that scenarios can load concurrently.
  thread_local std::map<std::string, std::regex> cache;
  auto it = cache.find(pattern);
  if (it == cache.end()) it = cache.emplace(pattern, std::regex(pattern)).first;
  return it->second;
}

// 1e3 and 1000.0 are numbers but not integers in JSON Schema: say how to write one.
std::string integer_hint(const json& schema, const json& value) {
  const bool wants_integer = schema.contains("type") && schema["type"] == "integer";
  if (!wants_integer || !value.is_number_float()) return {};
  const double x = value.get<double>();
  return std::floor(x) == x ? " (write integers without a decimal point or exponent)" : "";
}

class SchemaChecker {
 public:
  explicit SchemaChecker(const json& root) : root_(root) {}

  Findings run(const json& document) {
    check(root_, document, "");
    return std::move(findings_);
  }

 private:
  void add(const std::string& pointer, std::string message, bool at_key = false) {
    findings_.push_back({pointer, std::move(message), at_key});
  }

  void check(const json& schema_or_ref, const json& value, const std::string& pointer) {
    const json& schema = resolve(root_, schema_or_ref);
    if (union_branches(schema)) return check_union(schema, value, pointer);
    if (schema.contains("const") && value != schema["const"]) {
      return add(pointer,
                 fmt::format("expected {}, found {}", schema["const"].dump(), describe_value(value)));
    }
    if (!type_admits(schema, value)) {
      return add(pointer, fmt::format("expected {}, found {}{}", expected_types({&schema}),
                                      describe_value(value), integer_hint(schema, value)));
    }
    if (schema.contains("enum")) return check_enum(schema, value, pointer);
    if (value.is_number()) return check_number(schema, value, pointer);
    if (value.is_string()) return check_string(schema, value, pointer);
    if (value.is_object()) return check_object(schema, value, pointer);
    if (value.is_array()) return check_array(schema, value, pointer);
  }

  void check_enum(const json& schema, const json& value, const std::string& pointer) {
    for (const auto& allowed : schema["enum"]) {
      if (allowed == value) return;
    }
    add(pointer,
        fmt::format("expected {}, found {}", one_of(string_list(schema["enum"])), describe_value(value)));
  }

  void check_union(const json& schema, const json& value, const std::string& pointer) {
    std::vector<const json*> candidates;
    for (const auto& branch : *union_branches(schema)) {
      const json& resolved = resolve(root_, branch);
      if (type_admits(resolved, value)) candidates.push_back(&resolved);
    }
    if (candidates.empty()) {
      std::vector<const json*> all;
      for (const auto& branch : *union_branches(schema)) all.push_back(&resolve(root_, branch));
      return add(pointer, fmt::format("expected {}, found {}", expected_types(all), describe_value(value)));
    }
    if (candidates.size() == 1) return check(*candidates.front(), value, pointer);
    const std::string key = discriminator(root_, candidates);
    if (!key.empty()) return check_discriminated(candidates, key, value, pointer);
    check_best_branch(candidates, value, pointer);
  }

  // Objects tagged by a key such as "dist": the tag picks the branch.
  void check_discriminated(const std::vector<const json*>& branches, const std::string& key,
                           const json& value, const std::string& pointer) {
    std::vector<std::string> tags;
    for (const json* branch : branches) {
      const json& tag = resolve(root_, (*branch)["properties"][key])["const"];
      if (value.contains(key) && value[key] == tag) return check(*branch, value, pointer);
      tags.push_back(tag.get<std::string>());
    }
    if (!value.contains(key)) {
      return add(pointer, fmt::format("missing required key {} ({})", quote(key), one_of(tags)));
    }
    const json& found = value[key];
    const std::string hint = found.is_string() ? did_you_mean(found.get<std::string>(), tags) : "";
    add(child_pointer(pointer, key),
        fmt::format("expected {}, found {}{}", one_of(tags), describe_value(found), hint));
  }

  // Untagged alternatives (a link's "between" or "from"/"to"): report the closest one.
  void check_best_branch(const std::vector<const json*>& branches, const json& value,
                         const std::string& pointer) {
    std::optional<Findings> best;
    for (const json* branch : branches) {
      Findings findings = SchemaChecker(root_).run_at(*branch, value, pointer);
      if (!best || findings.size() < best->size()) best = std::move(findings);
    }
    findings_.insert(findings_.end(), best->begin(), best->end());
  }

  Findings run_at(const json& schema, const json& value, const std::string& pointer) {
    check(schema, value, pointer);
    return std::move(findings_);
  }

  // -1, 0 or 1 as `a` is below, at or above the bound `b`: exactly when both are integers (a
  // double cannot tell 10^18 + 1 from 10^18), as doubles otherwise.
  static int compare_to_bound(const json& a, const json& b) {
    if (a.is_number_integer() && b.is_number_integer()) {
      const bool a_negative = !a.is_number_unsigned() && a.get<std::int64_t>() < 0;
      const bool b_negative = !b.is_number_unsigned() && b.get<std::int64_t>() < 0;
      if (a_negative != b_negative) return a_negative ? -1 : 1;
      if (a_negative)
        return a.get<std::int64_t>() < b.get<std::int64_t>() ? -1
                                                             : a.get<std::int64_t>() > b.get<std::int64_t>();
      return a.get<std::uint64_t>() < b.get<std::uint64_t>()
                 ? -1
                 : a.get<std::uint64_t>() > b.get<std::uint64_t>();
    }
    const double x = a.get<double>(), y = b.get<double>();
    return x < y ? -1 : x > y;
  }

  void check_number(const json& schema, const json& value, const std::string& pointer) {
    const std::string what =
        schema.contains("type") && schema["type"] == "integer" ? "an integer" : "a number";
    auto beyond = [&](const char* bound, auto outside) {
      return schema.contains(bound) && outside(compare_to_bound(value, schema[bound]));
    };
    const bool low = beyond("minimum", [](int c) { return c < 0; }) ||
                     beyond("exclusiveMinimum", [](int c) { return c <= 0; });
    const bool high = beyond("maximum", [](int c) { return c > 0; }) ||
                      beyond("exclusiveMaximum", [](int c) { return c >= 0; });
    if (!low && !high) return;
    const std::string found = describe_value(value);
    if (schema.contains("x-limit")) {
      const std::string& limit = schema["x-limit"].get_ref<const std::string&>();
      if (high && schema.contains("maximum")) {
        return add(pointer, fmt::format("limit exceeded: at most {} {}, found {}", schema["maximum"].dump(),
                                        limit, found));
      }
      if (low && schema.contains("minimum") && !schema.contains("maximum")) {
        return add(pointer, fmt::format("limit exceeded: at least {} {}, found {}", schema["minimum"].dump(),
                                        limit, found));
      }
    }
    add(pointer, fmt::format("expected {} {}, found {}", what, range_text(schema), found));
  }

  // ">= 0", "> 0", "between 0 and 1", "> 0 and <= 1". A bound that is a resource limit is left out
  // when the value is on the other side: "expected an integer >= 1" reads better than the range.
  static std::string range_text(const json& schema) {
    std::string lower, upper;
    if (schema.contains("minimum")) lower = ">= " + schema["minimum"].dump();
    if (schema.contains("exclusiveMinimum")) lower = "> " + schema["exclusiveMinimum"].dump();
    if (!schema.contains("x-limit")) {
      if (schema.contains("maximum")) upper = "<= " + schema["maximum"].dump();
      if (schema.contains("exclusiveMaximum")) upper = "< " + schema["exclusiveMaximum"].dump();
    }
    if (lower.starts_with(">=") && upper.starts_with("<=")) {
      return fmt::format("between {} and {}", schema["minimum"].dump(), schema["maximum"].dump());
    }
    if (!lower.empty() && !upper.empty()) return lower + " and " + upper;
    return lower.empty() ? upper : lower;
  }

  void check_string(const json& schema, const json& value, const std::string& pointer) {
    const auto& text = value.get_ref<const std::string&>();
    // The length first: std::regex recurses once per character, and a long enough string (a geo
    // name of a megabyte) overflows the stack.
    if (schema.contains("maxLength") && text.size() > schema["maxLength"].get<std::size_t>()) {
      return add(pointer, fmt::format("expected a string of at most {} characters, found {} characters",
                                      schema["maxLength"].dump(), text.size()));
    }
    if (schema.contains("pattern") &&
        !std::regex_search(text, cached_regex(schema["pattern"].get<std::string>()))) {
      // In words where the schema has them ("x-pattern-text"), and the nearest string that matches
      // (lowercased, other characters as underscores) as the suggestion: a raw regex said neither.
      const std::regex& pattern = cached_regex(schema["pattern"].get<std::string>());
      const std::string wanted = schema.contains("x-pattern-text")
                                     ? schema["x-pattern-text"].get<std::string>()
                                     : "a string matching " + schema["pattern"].get<std::string>();
      const std::string tidy = tidy_name(text);
      const std::string hint =
          tidy != text && std::regex_search(tidy, pattern) ? "; did you mean " + quote(tidy) + "?" : "";
      add(pointer, fmt::format("expected {}, found {}{}", wanted, describe_value(value), hint));
    }
  }

  void check_object(const json& schema, const json& value, const std::string& pointer) {
    static const json kNoProperties = json::object();
    const json& properties = schema.contains("properties") ? schema["properties"] : kNoProperties;
    const auto additional = schema.find("additionalProperties");
    std::vector<std::string> suggested;  // keys offered as "did you mean": not also "missing"
    for (const auto& [name, member] : value.items()) {
      const std::string member_pointer = child_pointer(pointer, name);
      if (properties.contains(name)) {
        check(properties[name], member, member_pointer);
      } else if (additional != schema.end() && additional->is_object()) {
        check(*additional, member, member_pointer);
      } else if (additional != schema.end() && *additional == false) {
        add(member_pointer, unknown_key_message(name, properties, suggested), true);
      }
    }
    if (!schema.contains("required")) return;
    for (const auto& key : schema["required"]) {
      const std::string& name = key.get_ref<const std::string&>();
      if (!value.contains(name) && std::find(suggested.begin(), suggested.end(), name) == suggested.end()) {
        add(pointer, fmt::format("missing required key {}", quote(name)));
      }
    }
  }

  static std::string unknown_key_message(const std::string& name, const json& properties,
                                         std::vector<std::string>& suggested) {
    std::vector<std::string> allowed;
    for (const auto& [key, unused] : properties.items()) allowed.push_back(key);
    if (const auto match = closest_match(name, allowed)) {
      suggested.push_back(*match);
      return fmt::format("unknown key {}; did you mean {}?", quote(name), quote(*match));
    }
    if (allowed.empty()) return fmt::format("unknown key {}; no keys are allowed here", quote(name));
    return fmt::format("unknown key {}; the keys allowed here are {}", quote(name), quoted_list(allowed));
  }

  void check_array(const json& schema, const json& value, const std::string& pointer) {
    if (!check_array_size(schema, value, pointer)) return;
    if (schema.contains("items")) {
      const json& items = schema["items"];
      for (std::size_t i = 0; i < value.size(); ++i) {
        // A tuple (an array of schemas) constrains each position; extra items are bounded by maxItems.
        const json* item_schema = items.is_array() ? (i < items.size() ? &items[i] : nullptr) : &items;
        if (item_schema) check(*item_schema, value[i], child_pointer(pointer, i));
      }
    }
    if (schema.value("uniqueItems", false)) check_unique(value, pointer);
  }

  bool check_array_size(const json& schema, const json& value, const std::string& pointer) {
    const std::size_t n = value.size();
    if (schema.contains("minItems") && n < schema["minItems"].get<std::size_t>()) {
      const std::size_t min = schema["minItems"].get<std::size_t>();
      add(pointer, fmt::format("expected at least {} item{}, found {}", min, min == 1 ? "" : "s", n));
      return false;
    }
    if (schema.contains("maxItems") && n > schema["maxItems"].get<std::size_t>()) {
      const std::size_t max = schema["maxItems"].get<std::size_t>();
      if (schema.contains("x-limit")) {
        add(pointer, fmt::format("limit exceeded: at most {} {}, found {}", max,
                                 schema["x-limit"].get<std::string>(), n));
      } else {
        add(pointer, fmt::format("expected at most {} item{}, found {}", max, max == 1 ? "" : "s", n));
      }
      return false;
    }
    return true;
  }

  void check_unique(const json& value, const std::string& pointer) {
    std::map<json, std::size_t> first_index;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const auto [it, inserted] = first_index.emplace(value[i], i);
      if (!inserted) {
        add(child_pointer(pointer, i),
            fmt::format("expected unique items, found {} again (first at {})", describe_value(value[i]),
                        child_pointer(pointer, it->second)));
      }
    }
  }

  const json& root_;
  Findings findings_;
};

}  // namespace

Findings check_against_schema(const json& schema, const json& document) {
  return SchemaChecker(schema).run(document);
}

}  // namespace shardsim::scenario_internal
