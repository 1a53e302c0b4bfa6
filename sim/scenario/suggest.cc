#include "scenario/suggest.h"

#include <algorithm>
#include <cctype>

namespace shardsim::scenario_internal {
namespace {

std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: the transposition looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // The edit distance costs length x length: no key or geo name is this long (geo names have at
  // most 64 characters), so a longer word is not a typo of one, and is not compared.
  constexpr std::size_t kMaxWordLength = 200;
  if (word.size() > kMaxWordLength) return std::nullopt;
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  const std::string lower_word = lowercase(word);
  std::optional<std::string> best;
  std::size_t best_distance = allowed + 1;
  for (const auto& candidate : candidates) {
    // The distance is at least the difference in length.
    const std::size_t length_difference =
        candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (length_difference > allowed) continue;
    const std::size_t distance = lowercase(candidate) == lower_word ? 0 : edit_distance(word, candidate);
    // A short word is "near" anything short: also require the candidate to keep some letters.
    if (distance >= std::max(word.size(), candidate.size())) continue;
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string tidy_name(std::string_view name) {
  std::string tidy;
  for (const char c : name) {
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    const bool kept = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') || lower == '_';
    tidy += kept ? lower : '_';
  }
  return tidy;
}

}  // namespace shardsim::scenario_internal
