#include <algorithm>

#include "scenario/source_map.h"

namespace shardsim::scenario_internal {

LineIndex::LineIndex(std::string_view text) : text_(text) {
  line_starts_.push_back(text.starts_with("\xEF\xBB\xBF") ? 3 : 0);  // a byte order mark is no column
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

TextPosition LineIndex::at(std::size_t offset) const {
  offset = std::clamp(offset, line_starts_.front(), text_.size());
  const auto next_line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const std::size_t line = static_cast<std::size_t>(next_line - line_starts_.begin());
  int column = 1;
  for (std::size_t i = line_starts_[line - 1]; i < offset; ++i) {
    const bool continuation = (static_cast<unsigned char>(text_[i]) & 0xC0) == 0x80;
    if (!continuation) ++column;
  }
  return {static_cast<int>(line), column};
}

}  // namespace shardsim::scenario_internal
