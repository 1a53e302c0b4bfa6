#include "cli/command_line.h"

#include <iostream>

#include "cli/commands.h"
#include "cli/whole_number.h"
#include "shardsim/scenario/loader.h"

namespace shardsim::cli {

namespace po = boost::program_options;

CommandLine::CommandLine(CommandText text, po::options_description options) : text_(text) {
  options_.add_options()("help,h", "show this help");
  options_.add(options);
}

CommandLine& CommandLine::positional(Positional p) {
  if (p.count == 1) {
    hidden_.add_options()(p.name, po::value<std::string>());
  } else {
    hidden_.add_options()(p.name, po::value<std::vector<std::string>>());
  }
  positional_.add(p.name, p.count);
  return *this;
}

CommandLine& CommandLine::scenario_options(const char* seed_help) {
  options_.add_options()("seed", po::value<WholeNumber<std::uint64_t>>(), seed_help)(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario value: path=value (dotted path or JSON pointer); repeatable");
  return *this;
}

std::optional<int> CommandLine::parse(const std::vector<std::string>& args) {
  po::options_description all;
  all.add(options_).add(hidden_);
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional_).run(), vm_);
    po::notify(vm_);
  } catch (const po::error& e) {
    return usage_error(e.what());
  }
  if (vm_.count("help")) {
    std::cout << text_.usage << options_ << text_.examples;
    return kExitOk;
  }
  return std::nullopt;
}

int CommandLine::usage_error(const std::string& message) const {
  // One line naming the problem and where the help is: the whole help buried the message.
  std::cerr << "shardsim " << text_.name << ": " << message << "\nsee 'shardsim " << text_.name
            << " --help'\n";
  return kExitBadInput;
}

std::optional<Scenario> CommandLine::load_scenario() const {
  if (!vm_.count("file")) {
    usage_error("missing scenario FILE");
    return std::nullopt;
  }
  LoadOptions load;
  if (vm_.count("set")) load.overrides = vm_["set"].as<std::vector<std::string>>();
  if (vm_.count("seed")) load.seed_override = whole_number<std::uint64_t>(vm_, "seed");
  try {
    return load_scenario_file(vm_["file"].as<std::string>(), load);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << (std::string(e.what()).ends_with('\n') ? "" : "\n");
    return std::nullopt;
  }
}

}  // namespace shardsim::cli
