// shardsim validate FILE...
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "shardsim/scenario/loader.h"

namespace shardsim::cli {

int validate_command(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "shardsim validate: missing scenario FILE...\nsee 'shardsim validate --help'\n";
    return kExitBadInput;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::cout << "Usage: shardsim validate FILE...\n\n"
                 "Checks scenario files against the format (syntax, schema, references, limits) and reports\n"
                 "every problem found, with file, line, column and JSON path.\n\n"
                 "Example:\n  shardsim validate scenarios/*.json\n\n"
                 "Exit codes: 0 all valid, 2 a file is invalid or unreadable.\n";
    return kExitOk;
  }
  int status = kExitOk;
  for (const std::string& file : args) {
    try {
      const Scenario scenario = load_scenario_file(file);
      fmt::print("{}: ok ({} geos, {} keys, {} shards)\n", file, scenario.geos.size(), scenario.keys.count,
                 scenario.shards.size());
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << (std::string(e.what()).ends_with('\n') ? "" : "\n");
      status = kExitBadInput;
    }
  }
  return status;
}

}  // namespace shardsim::cli
