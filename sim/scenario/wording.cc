#include "scenario/wording.h"

#include "scenario/suggest.h"

namespace shardsim::scenario_internal {
namespace {

constexpr std::size_t kMaxShownStringLength = 40;

// As JSON; bytes that are not UTF-8 (possible in --set values) become U+FFFD instead of throwing.
std::string dump(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

std::string describe_value(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() <= kMaxShownStringLength) return dump(value);
      // Cut before a character, not inside one (UTF-8 continuation bytes are 10xxxxxx).
      std::size_t cut = kMaxShownStringLength;
      while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
      return dump(nlohmann::json(text.substr(0, cut))) + "...";
    }
    default:
      return dump(value);
  }
}

std::string quote(const std::string& text) {
  return dump(nlohmann::json(text));
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
