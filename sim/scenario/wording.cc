#include "scenario/wording.h"

#include "scenario/suggest.h"

namespace shardsim::scenario_internal {
namespace {

constexpr std::size_t kMaxShownStringLength = 40;

}  // namespace

std::string describe_value(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() <= kMaxShownStringLength) return value.dump();
      return nlohmann::json(text.substr(0, kMaxShownStringLength)).dump() + "...";
    }
    default:
      return value.dump();
  }
}

std::string quote(const std::string& text) {
  return nlohmann::json(text).dump();
}

std::string quoted_list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += quote(item);
  }
  return out;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto match = closest_match(word, candidates);
  return match ? "; did you mean " + quote(*match) + "?" : std::string();
}

}  // namespace shardsim::scenario_internal
