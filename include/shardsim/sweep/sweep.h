// A sweep: one base scenario run at many points of a parameter space, several replications each.
//
// The sweep file (JSON; see docs/sweeps.md):
//   {"base": "../seed.json",                      // scenario, relative to the sweep file
//    "set": {"duration_s": 20},                   // optional: overrides applied at every point
//    "parameters": {"workload.india.rate_per_s": [400, 800],
//                   "slaves.per_shard_per_geo.india": [1, 2, 3]},
//    "zip": false,                                // optional: true zips the lists instead of a grid
//    "replications": 5,                           // optional, default 1
//    "seed": 1,                                   // optional, default 1
//    "metrics": ["/requests/india/latency/read_hit/p99_ms"]}  // JSON pointers into report.json
//
// Expansion is deterministic. Points: the grid of all combinations, parameters in file order, the
// last varying fastest (with "zip", point i takes the i-th value of every list, which must all have
// the same length). Runs: run = point * replications + replication. Replication r runs with seed
// `seed + r` at every point (common random numbers: points differ by their parameters only).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace shardsim::sweep {

// A bad sweep file or sweep directory; the message names the file, the JSON path and what was
// expected. The command line exits 2 on it.
class SweepError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Parameter {
  std::string path;                    // as in --set: dotted or a JSON pointer
  std::vector<nlohmann::json> values;  // scalars
};

// The "find" section: search one parameter (or several paths set to the same value) for the
// boundary of a condition on one metric, with a stated confidence (see find.h):
//   "find": {"parameter": "workload.india.rate_per_s", "range": [500, 8000],
//            "goal": "highest", "metric": "/requests/india/latency/read_miss/p99_ms", "at_most": 50,
//            "confidence": 0.95, "tolerance": 100, "max_replications": 12}
struct FindSpec {
  enum class Goal { kHighest, kLowest };
  std::vector<std::string> paths;  // every path gets the probed value
  double low = 0, high = 0;        // the search range, low < high
  bool integer = false;            // probe integers only (counts of slaves, nodes)
  Goal goal = Goal::kHighest;      // highest value that meets the condition, or lowest
  std::string metric;              // JSON pointer into report.json
  bool at_most = true;             // the condition: metric <= bound (at_most) or >= bound
  double bound = 0;
  double confidence = 0.95;            // one-sided confidence that the mean meets the bound
  double tolerance = 0;                // stop when the bracket is this narrow (integer: 1)
  std::uint64_t max_replications = 0;  // adaptive: replications grow up to this at an unclear probe
};

struct SweepSpec {
  std::filesystem::path base;                // absolute
  std::vector<std::string> fixed_overrides;  // "path=value", from "set", in file order
  std::vector<Parameter> parameters;         // in file order
  bool zip = false;
  std::uint64_t replications = 1;
  std::uint64_t seed = 1;
  std::vector<std::string> metrics;  // JSON pointers
  std::optional<FindSpec> find;
};

struct SweepRun {
  std::uint64_t index = 0;
  std::uint64_t point = 0;
  std::uint64_t replication = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> overrides;  // the point's "path=value" (without the fixed ones)
};

// Parses and validates a sweep document; relative "base" paths resolve against `directory`.
// `label` names the document in errors. Throws SweepError.
SweepSpec parse_sweep(const nlohmann::ordered_json& document, const std::filesystem::path& directory,
                      const std::string& label);

// Reads, parses and validates a sweep file. Throws SweepError.
SweepSpec load_sweep_file(const std::filesystem::path& path);

// Parses and validates a "find" section; `label` names the document in errors. Throws SweepError.
FindSpec parse_find(const nlohmann::ordered_json& section, const std::string& label);
nlohmann::ordered_json to_json(const FindSpec& find);

// The spec as a self-contained document (absolute base), which parse_sweep reads back to an equal
// spec: stored as sweep.spec.json in an output directory so that `merge` needs only the directory.
nlohmann::ordered_json to_json(const SweepSpec& spec);

std::uint64_t point_count(const SweepSpec& spec);
std::uint64_t run_count(const SweepSpec& spec);

// The values of every parameter at `point` (in parameter order).
std::vector<nlohmann::json> point_values(const SweepSpec& spec, std::uint64_t point);

// Run `index` (< run_count), and every run in order.
SweepRun sweep_run(const SweepSpec& spec, std::uint64_t index);
std::vector<SweepRun> expand_runs(const SweepSpec& spec);

// One line describing a run, as `sweep --list` prints it.
std::string describe_run(const SweepRun& run);

}  // namespace shardsim::sweep
