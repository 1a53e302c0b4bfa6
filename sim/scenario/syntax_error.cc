#include "scenario/syntax_error.h"

#include <algorithm>

#include "scenario/source_map.h"

namespace shardsim::scenario_internal {
namespace {

// nlohmann's what() is "[json.exception.parse_error.101] parse error at line 1, column 9: TEXT";
// the position is ours (in characters, not bytes), so keep TEXT only.
std::string parser_text(const nlohmann::json::parse_error& error) {
  const std::string what = error.what();
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

char previous_non_space(std::string_view text, std::size_t offset) {
  while (offset > 0) {
    const char c = text[--offset];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return c;
  }
  return '\0';
}

// Whether a `//` or `/*` comment starts at or just before `offset` (the parser stops at its first
// or second character).
bool at_comment(std::string_view text, std::size_t offset) {
  const auto opens = [text](std::size_t i) {
    return i + 1 < text.size() && text[i] == '/' && (text[i + 1] == '/' || text[i + 1] == '*');
  };
  return opens(offset) || (offset > 0 && opens(offset - 1));
}

std::string hint(std::string_view text, std::size_t offset, const std::string& message) {
  if (at_comment(text, offset)) return " (JSON has no comments; use a \"notes\" string)";
  const bool at_closing = offset < text.size() && (text[offset] == '}' || text[offset] == ']');
  if (at_closing && previous_non_space(text, offset) == ',') {
    return " (a trailing comma? JSON allows none before a closing bracket)";
  }
  const bool wanted_end = message.find("; expected '}'") != std::string::npos ||
                          message.find("; expected ']'") != std::string::npos;
  if (wanted_end && message.find("end of input") == std::string::npos) return " (a missing comma?)";
  return {};
}

}  // namespace

// nlohmann points at the last character of the token it did not expect; for a string, the
// user's eye wants its start.
std::size_t token_start(std::string_view text, std::size_t offset, const std::string& message) {
  if (message.find("unexpected string literal") == std::string::npos || offset >= text.size() ||
      text[offset] != '"') {
    return offset;
  }
  const std::size_t open = offset == 0 ? std::string_view::npos : text.rfind('"', offset - 1);
  return open == std::string_view::npos ? offset : open;
}

ScenarioIssue syntax_issue(std::string_view text, const std::string& file,
                           const nlohmann::json::parse_error& error) {
  // error.byte counts from 1 and points at the last character read: the one that did not fit.
  const std::string message = parser_text(error);
  const std::size_t last_read = std::min<std::size_t>(error.byte == 0 ? 0 : error.byte - 1, text.size());
  const std::size_t offset = token_start(text, last_read, message);
  const TextPosition where = LineIndex(text).at(offset);
  return {file, open_container_at(text, offset), where.line, where.column,
          "invalid JSON: " + message + hint(text, offset, message)};
}

ScenarioIssue number_range_issue(std::string_view text, const std::string& file,
                                 const nlohmann::json::out_of_range& error) {
  // what() is "[json.exception.out_of_range.406] number overflow parsing '1e400'".
  const std::string what = error.what();
  const std::size_t open = what.find('\'');
  const std::size_t close = what.rfind('\'');
  const std::string number = open < close ? what.substr(open + 1, close - open - 1) : std::string();
  std::size_t offset = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size() && !number.empty(); ++i) {
    if (in_string) {
      if (text[i] == '\\') {
        ++i;
      } else if (text[i] == '"') {
        in_string = false;
      }
    } else if (text[i] == '"') {
      in_string = true;
    } else if (text.substr(i).starts_with(number)) {
      offset = i;
      break;
    }
  }
  const std::string shown = number.size() > 40 ? number.substr(0, 40) + "..." : number;
  const TextPosition where = LineIndex(text).at(offset);
  return {file, open_container_at(text, offset), where.line, where.column,
          "invalid JSON: the number " + shown + " is out of range (at most about 1.8e308 in magnitude)"};
}

}  // namespace shardsim::scenario_internal
