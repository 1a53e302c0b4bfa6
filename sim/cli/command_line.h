// What every shardsim command does with its command line: parse it against its options and
// positionals, answer --help, report a usage error with the usage text, and (for commands that take
// a scenario) load FILE with --set and --seed applied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "shardsim/scenario/scenario.h"

namespace shardsim::cli {

// A command's texts: "run", its usage header (printed before the options) and its examples.
struct CommandText {
  const char* name;
  const char* usage;
  const char* examples;
};

// A positional argument: hidden option `name`, taking up to `count` values (-1: any number).
struct Positional {
  const char* name;
  int count;
};

class CommandLine {
 public:
  // `options` are the documented ones; "help,h" is added here.
  CommandLine(CommandText text, boost::program_options::options_description options);

  // Adds a single-string positional (e.g. "file") or a list of strings (count > 1 or -1).
  CommandLine& positional(Positional p);
  // Adds --seed and --set (for commands that load a scenario).
  CommandLine& scenario_options(const char* seed_help);

  // Parses `args`. Returns the exit code when the command must stop here: 0 after printing --help,
  // 2 after printing a usage error. Otherwise nullopt, and vars() holds the values.
  std::optional<int> parse(const std::vector<std::string>& args);
  const boost::program_options::variables_map& vars() const { return vm_; }

  // Prints "shardsim NAME: MESSAGE" and "see 'shardsim NAME --help'" to stderr; returns 2 (bad usage).
  int usage_error(const std::string& message) const;

  // Loads the scenario named by positional "file", with --set and --seed applied. Prints the
  // loader's errors and returns nullopt when it cannot.
  std::optional<Scenario> load_scenario() const;

 private:
  CommandText text_;
  boost::program_options::options_description options_;
  boost::program_options::options_description hidden_;
  boost::program_options::positional_options_description positional_;
  boost::program_options::variables_map vm_;
};

}  // namespace shardsim::cli
