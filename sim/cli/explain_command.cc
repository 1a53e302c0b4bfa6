// shardsim explain FILE [--seed N] [--set path=value]... [--dot]
#include <iostream>

#include <boost/program_options.hpp>

#include "cli/command_line.h"
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

Exit codes: 0 success, 2 bad usage or bad scenario, 3 standard output could not be written.
)";

}  // namespace

int explain_command(const std::vector<std::string>& args) {
  po::options_description options;
  options.add_options()("dot", "print Graphviz DOT instead of text");
  CommandLine command_line({"explain", kExplainUsage, kExplainExamples}, options);
  command_line.scenario_options("override the scenario's seed (it places ring points)")
      .positional({"file", 1});
  if (const auto exit = command_line.parse(args)) return *exit;
  const std::optional<Scenario> scenario = command_line.load_scenario();
  if (!scenario) return kExitBadInput;
  // Building the topology runs nothing: no event is scheduled until start().
  Topology topology(*scenario);
  std::cout << (command_line.vars().count("dot") ? explain_dot(topology) : explain_text(topology));
  return kExitOk;
}

}  // namespace shardsim::cli
