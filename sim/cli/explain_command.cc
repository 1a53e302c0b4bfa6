// shardsim explain FILE [--seed N] [--set path=value]... [--dot]
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/commands.h"
#include "shardsim/model/topology.h"
#include "shardsim/report/explain.h"
#include "shardsim/scenario/loader.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

const char* kExplainUsage = R"(Usage: shardsim explain FILE [options]

Prints the deployment a scenario resolves to, without running it: geos, global masters, shards and
their key ranges, each geo's front end, cache nodes and slaves with their hash-ring shares, the lazy
replication hops, the async write path and the names failures can target.

Options:
)";

const char* kExplainExamples = R"(
Examples:
  shardsim explain scenarios/seed.json
  shardsim explain scenarios/seed.json --set slaves.per_shard_per_geo.india=3
  shardsim explain scenarios/seed.json --dot | dot -Tsvg > seed.svg

Exit codes: 0 success, 2 bad usage or bad scenario.
)";

}  // namespace

int explain_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("help,h", "show this help")("seed", po::value<std::uint64_t>(),
                                                    "override the scenario's seed (it places ring points)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override a scenario value: path=value (dotted path or JSON pointer); repeatable")(
      "dot", "print Graphviz DOT instead of text");
  po::options_description hidden;
  hidden.add_options()("file", po::value<std::string>());
  po::options_description all;
  all.add(options).add(hidden);
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "shardsim explain: " << e.what() << "\n" << kExplainUsage << options;
    return kExitBadInput;
  }
  if (vm.count("help")) {
    std::cout << kExplainUsage << options << kExplainExamples;
    return kExitOk;
  }
  if (!vm.count("file")) {
    std::cerr << "shardsim explain: missing scenario FILE\n" << kExplainUsage << options;
    return kExitBadInput;
  }
  LoadOptions load;
  if (vm.count("set")) load.overrides = vm["set"].as<std::vector<std::string>>();
  if (vm.count("seed")) load.seed_override = vm["seed"].as<std::uint64_t>();
  Scenario scenario;
  try {
    scenario = load_scenario_file(vm["file"].as<std::string>(), load);
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << (std::string(e.what()).ends_with('\n') ? "" : "\n");
    return kExitBadInput;
  }
  // Building the topology runs nothing: no event is scheduled until start().
  Topology topology(scenario);
  std::cout << (vm.count("dot") ? explain_dot(topology) : explain_text(topology));
  return kExitOk;
}

}  // namespace shardsim::cli
