#include "scenario/json_access.h"

#include <charconv>

namespace shardsim::scenario_internal {

using nlohmann::json;

namespace {

std::string unescape(std::string_view token) {
  std::string out;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size()) {
      out += token[++i] == '1' ? '/' : '~';
    } else {
      out += token[i];
    }
  }
  return out;
}

const json* step(const json& node, std::string_view token) {
  if (node.is_object()) {
    const auto it = node.find(unescape(token));
    return it == node.end() ? nullptr : &*it;
  }
  if (node.is_array()) {
    std::size_t index = 0;
    const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
    if (error != std::errc() || end != token.data() + token.size() || index >= node.size()) return nullptr;
    return &node[index];
  }
  return nullptr;
}

}  // namespace

const json* value_at(const json& document, std::string_view pointer) {
  const json* node = &document;
  while (node && !pointer.empty()) {
    pointer.remove_prefix(1);  // the "/"
    const std::size_t end = std::min(pointer.find('/'), pointer.size());
    node = step(*node, pointer.substr(0, end));
    pointer.remove_prefix(end);
  }
  return node;
}

std::optional<double> number_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_number()) return std::nullopt;
  return value->get<double>();
}

std::optional<std::uint64_t> count_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_number_integer()) return std::nullopt;
  if (!value->is_number_unsigned() && value->get<std::int64_t>() < 0) return std::nullopt;
  return value->get<std::uint64_t>();
}

std::optional<std::string> string_at(const json& document, std::string_view pointer) {
  const json* value = value_at(document, pointer);
  if (!value || !value->is_string()) return std::nullopt;
  return value->get<std::string>();
}

std::optional<std::vector<std::string>> geo_names(const json& document) {
  const json* geos = value_at(document, "/geos");
  if (!geos || !geos->is_array()) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& geo : *geos) {
    if (!geo.is_string()) return std::nullopt;
    names.push_back(geo.get<std::string>());
  }
  return names;
}

}  // namespace shardsim::scenario_internal
