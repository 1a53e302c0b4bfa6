// A command-line option that takes a whole number of type T: digits only, within T's range.
// Boost's own parsing of an unsigned option accepts "-1" and wraps it to the largest value
// (`--seed -1` became seed 2^64-1 and failed later, in the scenario's voice, at the file's seed).
#pragma once

#include <charconv>
#include <limits>
#include <string>
#include <vector>

#include <boost/any.hpp>
#include <boost/program_options.hpp>

namespace shardsim::cli {

template <typename T>
struct WholeNumber {
  T value = 0;
};

// Found by Boost.Program_options through argument-dependent lookup.
template <typename T>
void validate(boost::any& out, const std::vector<std::string>& values, WholeNumber<T>*, int) {
  namespace po = boost::program_options;
  po::validators::check_first_occurrence(out);
  const std::string& text = po::validators::get_single_string(values);
  T parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    po::error_with_option_name problem(
        "the argument '%value%' for option '%canonical_option%' is invalid: "
        "expected a whole number from 0 to " +
        std::to_string(std::numeric_limits<T>::max()));
    problem.set_substitute("value", text);
    throw problem;
  }
  out = WholeNumber<T>{parsed};
}

// The value of a WholeNumber<T> option.
template <typename T>
T whole_number(const boost::program_options::variables_map& vm, const char* name) {
  return vm[name].as<WholeNumber<T>>().value;
}

}  // namespace shardsim::cli
