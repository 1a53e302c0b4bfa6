#include "shardsim/util/json_pointer.h"

#include <charconv>

#include <nlohmann/json.hpp>

namespace shardsim {

std::string escape_pointer_segment(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  out += escape_pointer_segment(key);
  return out;
}

std::string child_pointer(std::string_view parent, std::size_t index) {
  std::string out(parent);
  out += '/';
  out += std::to_string(index);
  return out;
}

bool pointer_within(std::string_view pointer, std::string_view ancestor) {
  if (!pointer.starts_with(ancestor)) return false;
  return pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/';
}

std::optional<std::vector<std::string>> split_json_pointer(std::string_view pointer) {
  std::vector<std::string> segments;
  if (pointer.empty()) return segments;
  if (pointer.front() != '/') return std::nullopt;
  for (std::size_t i = 0; i < pointer.size(); ++i) {
    const char c = pointer[i];
    if (c == '/') {
      segments.emplace_back();
    } else if (c != '~') {
      segments.back() += c;
    } else if (i + 1 < pointer.size() && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
      segments.back() += pointer[++i] == '0' ? '~' : '/';
    } else {
      return std::nullopt;
    }
  }
  return segments;
}

std::optional<std::size_t> pointer_index(std::string_view segment) {
  if (segment.empty() || (segment.size() > 1 && segment.front() == '0')) return std::nullopt;
  std::size_t index = 0;
  const char* end = segment.data() + segment.size();
  const auto [stop, error] = std::from_chars(segment.data(), end, index);
  if (error != std::errc() || stop != end) return std::nullopt;
  return index;
}

const nlohmann::json* pointer_child(const nlohmann::json* node, std::string_view segment) {
  if (node == nullptr) return nullptr;
  if (node->is_object()) {
    const auto it = node->find(segment);
    return it == node->end() ? nullptr : &*it;
  }
  if (node->is_array()) {
    const std::optional<std::size_t> index = pointer_index(segment);
    return index && *index < node->size() ? &(*node)[*index] : nullptr;
  }
  return nullptr;
}

const nlohmann::json* value_at(const nlohmann::json& document, std::string_view pointer) {
  const std::optional<std::vector<std::string>> segments = split_json_pointer(pointer);
  if (!segments) return nullptr;
  const nlohmann::json* node = &document;
  for (const std::string& segment : *segments) node = pointer_child(node, segment);
  return node;
}

}  // namespace shardsim
