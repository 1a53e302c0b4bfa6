// How a fuzz input becomes one call of load_scenario_text(), shared by the libFuzzer target
// (tests/fuzz/scenario_loader_fuzz.cc) and the regression test over tests/fuzz/regressions/
// (tests/scenario/fuzz_regressions_test.cc), so that a saved crash replays exactly.
//
// The input is the scenario text, optionally preceded by directive lines, one per line:
//   //set PATH=VALUE   a --set override (LoadOptions::overrides), in order
//   //seed N           the --seed override (LoadOptions::seed_override); ignored if N is not a number
// JSON has no comments, so no valid scenario starts with "//": the shipped scenarios are loaded
// as they are, and the fuzzer reaches the override code by mutating towards the directives.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include "shardsim/scenario/loader.h"

namespace shardsim::fuzz {

struct FuzzLoad {
  std::string_view text;  // the scenario document (a view into the input)
  LoadOptions options;
};

// At most this many directive lines are read; any further "//" lines stay in the document.
inline constexpr std::size_t kMaxDirectives = 16;

inline FuzzLoad split_fuzz_input(std::string_view input) {
  FuzzLoad load;
  constexpr std::string_view kSet = "//set ";
  constexpr std::string_view kSeed = "//seed ";
  for (std::size_t directives = 0; directives < kMaxDirectives; ++directives) {
    if (!input.starts_with(kSet) && !input.starts_with(kSeed)) break;
    const std::size_t newline = input.find('\n');
    const std::string_view line = input.substr(0, newline);
    input = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    if (line.starts_with(kSet)) {
      load.options.overrides.emplace_back(line.substr(kSet.size()));
    } else {
      const std::string_view digits = line.substr(kSeed.size());
      std::uint64_t seed = 0;
      const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
      if (error == std::errc() && end == digits.data() + digits.size()) load.options.seed_override = seed;
    }
  }
  load.text = input;
  return load;
}

}  // namespace shardsim::fuzz
