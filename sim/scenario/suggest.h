// Spelling suggestions for unknown keys and geo names ("did you mean ...?").
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shardsim::scenario_internal {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1 (so "sevrers" is one edit from "servers").
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if it is near enough to be a plausible typo: at most a third of
// the word's length away (at least 2 edits allowed), or equal ignoring case. Ties go to the
// earlier candidate.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

// `name` lowercased, with every character other than a-z, 0-9 and '_' written as '_' ("Europe" is
// "europe", "us-east" is "us_east"): the well-formed spelling a name (a geo's) most likely meant.
std::string tidy_name(std::string_view name);

}  // namespace shardsim::scenario_internal
