#include "scenario/source_map.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scenario/wording.h"

namespace shardsim::scenario_internal {

// One pass over the text with an explicit stack (no recursion: deep nesting cannot overflow the
// call stack). Records offsets into `map` when given; stops at `stop_at` or at anything it does
// not understand, leaving the open containers on the stack.
class Scanner {
 public:
  Scanner(std::string_view text, SourceMap* map, std::size_t stop_at)
      : text_(text), map_(map), stop_at_(std::min(stop_at, text.size())) {}

  void run() {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = 3;  // a UTF-8 byte order mark, as nlohmann allows
    skip_whitespace();
    begin_value("");
    while (ok_ && !stack_.empty()) step();
  }

  std::string open_pointer() const { return stack_.empty() ? std::string() : stack_.back().pointer; }

 private:
  struct Frame {
    std::string pointer;
    bool object = false;
    std::size_t next_index = 0;
    std::unordered_map<std::string, std::size_t> keys;  // key -> offset, for duplicates
  };

  bool stopped() const { return pos_ >= stop_at_; }

  void skip_whitespace() {
    while (!stopped() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  // One element of the innermost container, or its end.
  void step() {
    skip_whitespace();
    if (stopped()) return fail();
    const char c = text_[pos_];
    if (c == '}' || c == ']') {
      ++pos_;
      stack_.pop_back();
      return;
    }
    if (c == ',') {
      ++pos_;
      skip_whitespace();
      if (stopped()) return fail();
    }
    if (stack_.back().object) return member();
    Frame& frame = stack_.back();
    begin_value(child_pointer(frame.pointer, frame.next_index++));
  }

  void member() {
    if (text_[pos_] != '"') return fail();
    const std::size_t key_offset = pos_;
    const std::string key = read_string();
    skip_whitespace();
    if (stopped() || text_[pos_] != ':') return fail();
    ++pos_;
    skip_whitespace();
    const std::string pointer = child_pointer(stack_.back().pointer, key);
    note_key(key, pointer, key_offset);
    begin_value(pointer);
  }

  void note_key(const std::string& key, const std::string& pointer, std::size_t offset) {
    auto [it, inserted] = stack_.back().keys.emplace(key, offset);
    if (!map_) return;
    if (!inserted) {
      const TextPosition first = map_->lines_.at(it->second);
      map_->duplicates_.push_back({pointer,
                                   fmt::format("duplicate key {} (first given at line {}, column {})",
                                               quote(key), first.line, first.column),
                                   true});
    }
    map_->key_offsets_[pointer] = offset;  // the last one wins, as in the parsed document
  }

  void begin_value(const std::string& pointer) {
    if (stopped()) return fail();
    if (map_) map_->value_offsets_[pointer] = pos_;
    const char c = text_[pos_];
    if (c == '{' || c == '[') {
      ++pos_;
      stack_.push_back({pointer, c == '{', 0, {}});
    } else if (c == '"') {
      read_string();
    } else {
      while (!stopped() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
             text_[pos_] != ' ' && text_[pos_] != '\n' && text_[pos_] != '\r' && text_[pos_] != '\t') {
        ++pos_;
      }
    }
  }

  // Reads a string token starting at its opening quote; returns its decoded text.
  std::string read_string() {
    const std::size_t start = pos_++;
    bool escaped = false;
    while (!stopped() && text_[pos_] != '"') {
      if (text_[pos_] == '\\') {
        escaped = true;
        ++pos_;
      }
      ++pos_;
    }
    if (stopped()) {
      fail();
      return {};
    }
    ++pos_;
    const std::string_view token = text_.substr(start, pos_ - start);
    if (!escaped) return std::string(token.substr(1, token.size() - 2));
    const auto decoded = nlohmann::json::parse(token, nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string(token);
  }

  void fail() { ok_ = false; }

  std::string_view text_;
  SourceMap* map_;
  std::size_t stop_at_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::vector<Frame> stack_;
};

SourceMap::SourceMap(std::string_view text) : lines_(text) {
  Scanner(text, this, text.size()).run();
}

std::optional<TextPosition> SourceMap::value_position(const std::string& pointer) const {
  const auto it = value_offsets_.find(pointer);
  if (it == value_offsets_.end()) return std::nullopt;
  return lines_.at(it->second);
}

std::optional<TextPosition> SourceMap::key_position(const std::string& pointer) const {
  const auto it = key_offsets_.find(pointer);
  if (it == key_offsets_.end()) return std::nullopt;
  return lines_.at(it->second);
}

std::string open_container_at(std::string_view text, std::size_t offset) {
  Scanner scanner(text, nullptr, offset);
  scanner.run();
  return scanner.open_pointer();
}

NestingDepth max_nesting_depth(std::string_view text, std::size_t value_limit) {
  NestingDepth deepest;
  std::size_t depth = 0;
  bool in_string = false;
  // A value starts at the top, after '[', after ',' in an array and after ':' in an object: count
  // those (a comma between members counts the member's key, a slight overcount kept for speed).
  std::size_t values = 1;
  auto count_value = [&](std::size_t at) {
    if (++values == value_limit + 1) deepest.value_limit_offset = at;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > deepest.depth) {
        deepest.depth = depth;
        deepest.offset = i;
      }
      if (c == '[') count_value(i + 1);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    } else if (c == ',' || c == ':') {
      count_value(i + 1);
    }
  }
  deepest.values = values;
  return deepest;
}

}  // namespace shardsim::scenario_internal
