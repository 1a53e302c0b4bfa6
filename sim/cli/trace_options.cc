#include "cli/trace_options.h"

#include <cmath>

#include <fmt/format.h>

#include "cli/whole_number.h"
#include "scenario/suggest.h"

namespace shardsim::cli {

namespace po = boost::program_options;

namespace {

// Kinds may be repeated or comma-separated: --trace-kind node,apply --trace-kind failure.
void parse_kinds(const std::vector<std::string>& texts, TraceOptions& trace,
                 std::vector<std::string>& errors) {
  std::vector<std::string> known;
  for (int k = 0; k < static_cast<int>(TraceKind::kCount); ++k)
    known.emplace_back(trace_kind_name(TraceKind(k)));
  for (const std::string& text : texts) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t comma = std::min(text.find(',', start), text.size());
      const std::string name = text.substr(start, comma - start);
      if (const auto kind = parse_trace_kind(name)) {
        trace.kinds.push_back(*kind);
      } else {
        const auto near = scenario_internal::closest_match(name, known);
        errors.push_back(fmt::format("--trace-kind: unknown kind '{}'{}; expected one of {}", name,
                                     near ? fmt::format(" (did you mean '{}'?)", *near) : "",
                                     trace_kind_names()));
      }
      start = comma + 1;
    }
  }
}

// Seconds of simulated time to ns; negative or absurd values are errors.
std::optional<Time> seconds_option(const po::variables_map& vm, const char* name,
                                   std::vector<std::string>& errors) {
  if (!vm.count(name)) return std::nullopt;
  const double seconds = vm[name].as<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e9) {
    errors.push_back(
        fmt::format("--{}: expected seconds of simulated time in [0, 1e9], found {}", name, seconds));
    return std::nullopt;
  }
  return from_s(seconds);
}

}  // namespace

void add_trace_options(po::options_description& options) {
  options.add_options()("trace", po::value<std::string>(), "write an event trace (JSON lines) to this file")(
      "trace-node", po::value<std::vector<std::string>>()->composing(),
      "trace only nodes matching this glob ('*_india*', 'shard_slave_*'); repeatable")(
      "trace-kind", po::value<std::vector<std::string>>()->composing(),
      ("trace only these kinds (comma-separated or repeated): " + trace_kind_names()).c_str())(
      "trace-from", po::value<double>(), "trace from this simulated time, in seconds")(
      "trace-until", po::value<double>(), "trace until this simulated time, in seconds")(
      "trace-limit", po::value<WholeNumber<std::uint64_t>>(),
      "stop tracing after this many lines (default 1000000)");
}

std::optional<TraceOptions> trace_options_from(const po::variables_map& vm,
                                               std::vector<std::string>& errors) {
  if (!vm.count("trace")) {
    for (const char* option : {"trace-node", "trace-kind", "trace-from", "trace-until", "trace-limit"}) {
      if (vm.count(option)) errors.push_back(fmt::format("--{} needs --trace FILE", option));
    }
    return std::nullopt;
  }
  TraceOptions trace;
  trace.path = vm["trace"].as<std::string>();
  if (vm.count("trace-node")) trace.nodes = vm["trace-node"].as<std::vector<std::string>>();
  if (vm.count("trace-kind")) parse_kinds(vm["trace-kind"].as<std::vector<std::string>>(), trace, errors);
  if (const auto from = seconds_option(vm, "trace-from", errors)) trace.from = *from;
  if (const auto until = seconds_option(vm, "trace-until", errors)) trace.until = *until;
  if (trace.until <= trace.from) errors.push_back("--trace-until must be later than --trace-from");
  if (vm.count("trace-limit")) trace.max_lines = whole_number<std::uint64_t>(vm, "trace-limit");
  return trace;
}

}  // namespace shardsim::cli
