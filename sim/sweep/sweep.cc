// Parsing, validating and expanding sweep files.
#include "shardsim/sweep/sweep.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "shardsim/util/input_file.h"
#include "shardsim/util/json_pointer.h"
#include "sweep/spec_errors.h"

namespace shardsim::sweep {

using spec_internal::fail;
using spec_internal::member;

namespace spec_internal {

std::string member(const std::string& parent, const std::string& key) {
  return child_pointer(parent, key);
}

void fail(const std::string& label, const std::string& path, const std::string& expected,
          const nlohmann::ordered_json* got) {
  std::string message = fmt::format("{}: {}: expected {}", label, path.empty() ? "/" : path, expected);
  if (got != nullptr) message += fmt::format(", got {}", got->dump());
  throw SweepError(message);
}

}  // namespace spec_internal

namespace {

using ojson = nlohmann::ordered_json;

std::uint64_t unsigned_integer(const ojson& document, const std::string& key, std::uint64_t fallback,
                               const std::string& label, std::uint64_t min) {
  if (!document.contains(key)) return fallback;
  const ojson& value = document[key];
  if (!value.is_number_integer() || value.get<std::int64_t>() < 0 || value.get<std::uint64_t>() < min) {
    fail(label, member("", key), fmt::format("an integer >= {}", min), &value);
  }
  return value.get<std::uint64_t>();
}

std::string override_text(const std::string& path, const nlohmann::json& value) {
  return path + "=" + value.dump();
}

}  // namespace

SweepSpec parse_sweep(const ojson& document, const std::filesystem::path& directory,
                      const std::string& label) {
  if (!document.is_object()) fail(label, "", "an object");
  static const char* const kKeys[] = {"base",         "set",  "parameters", "zip",
                                      "replications", "seed", "metrics",    "find"};
  for (const auto& [key, value] : document.items()) {
    bool known = false;
    for (const char* k : kKeys) known = known || key == k;
    if (!known) {
      fail(label, member("", key),
           "one of the keys base, set, parameters, zip, replications, seed, metrics, find (unknown key)");
    }
  }
  SweepSpec spec;
  if (!document.contains("base") || !document["base"].is_string() ||
      document["base"].get<std::string>().empty()) {
    fail(label, "/base", "the scenario file, a path relative to the sweep file",
         document.contains("base") ? &document["base"] : nullptr);
  }
  spec.base = std::filesystem::absolute(directory / document["base"].get<std::string>()).lexically_normal();

  if (document.contains("set")) {
    const ojson& set = document["set"];
    if (!set.is_object())
      fail(label, "/set", "an object of path: value overrides applied at every point", &set);
    for (const auto& [path, value] : set.items()) spec.fixed_overrides.push_back(override_text(path, value));
  }

  // A file with a "find" section may leave the grid out (it is searched, not swept).
  const bool parameters_required = !document.contains("find") || document.contains("parameters");
  if (parameters_required && (!document.contains("parameters") || !document["parameters"].is_object() ||
                              document["parameters"].empty())) {
    fail(label, "/parameters", "a non-empty object of path: [values...]",
         document.contains("parameters") ? &document["parameters"] : nullptr);
  }
  const ojson parameters = document.value("parameters", ojson::object());  // a copy: items() needs an lvalue
  for (const auto& [path, values] : parameters.items()) {
    const std::string where = member("/parameters", path);
    if (path.empty()) fail(label, where, "a scenario path (dotted, or a JSON pointer) as the key");
    if (!values.is_array() || values.empty()) fail(label, where, "a non-empty array of values", &values);
    Parameter parameter{path, {}};
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!values[i].is_primitive() || values[i].is_null()) {
        fail(label, member(where, std::to_string(i)), "a number, string or boolean", &values[i]);
      }
      parameter.values.push_back(nlohmann::json::parse(values[i].dump()));
    }
    spec.parameters.push_back(std::move(parameter));
  }

  if (document.contains("zip")) {
    if (!document["zip"].is_boolean()) fail(label, "/zip", "true or false", &document["zip"]);
    spec.zip = document["zip"].get<bool>();
  }
  if (spec.zip) {
    for (const Parameter& p : spec.parameters) {
      if (p.values.size() != spec.parameters.front().values.size()) {
        fail(label, member("/parameters", p.path),
             fmt::format("{} values (with \"zip\": true every list has the length of the first)",
                         spec.parameters.front().values.size()));
      }
    }
  }
  spec.replications = unsigned_integer(document, "replications", 1, label, 1);
  spec.seed = unsigned_integer(document, "seed", 1, label, 0);

  // With a "find" section the metrics default to the one it searches on.
  const bool metrics_required = !document.contains("find") || document.contains("metrics");
  if (metrics_required &&
      (!document.contains("metrics") || !document["metrics"].is_array() || document["metrics"].empty())) {
    fail(label, "/metrics", "a non-empty array of JSON pointers into report.json",
         document.contains("metrics") ? &document["metrics"] : nullptr);
  }
  const ojson metrics = document.value("metrics", ojson::array());
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const ojson& metric = metrics[i];
    const std::string where = "/metrics/" + std::to_string(i);
    if (!metric.is_string() || !metric.get<std::string>().starts_with('/')) {
      fail(label, where, "a JSON pointer such as \"/requests/india/latency/read_hit/p99_ms\"", &metric);
    }
    if (!split_json_pointer(metric.get<std::string>())) {
      fail(label, where, "a valid JSON pointer (RFC 6901)", &metric);
    }
    spec.metrics.push_back(metric.get<std::string>());
  }
  if (document.contains("find")) {
    spec.find = parse_find(document["find"], label);
    if (spec.metrics.empty()) spec.metrics.push_back(spec.find->metric);
  }
  const std::uint64_t points = point_count(spec);
  if (points > 1'000'000 || spec.replications > 1'000'000 || points * spec.replications > 1'000'000) {
    fail(label, "/parameters", "at most 1000000 runs (points x replications)");
  }
  return spec;
}

SweepSpec load_sweep_file(const std::filesystem::path& path) {
  const InputFile file = read_input_file(path.string(), kMaxSpecFileBytes, "sweep file");
  if (!file.error.empty()) throw SweepError(fmt::format("{}: {}", path.string(), file.error));
  ojson document;
  try {
    document = ojson::parse(file.text);
  } catch (const nlohmann::json::parse_error& e) {
    throw SweepError(fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
  }
  return parse_sweep(document, std::filesystem::absolute(path).parent_path(), path.string());
}

nlohmann::ordered_json to_json(const SweepSpec& spec) {
  ojson document;
  document["base"] = spec.base.string();
  if (!spec.fixed_overrides.empty()) {
    ojson set = ojson::object();
    for (const std::string& o : spec.fixed_overrides) {
      const auto eq = o.find('=');
      set[o.substr(0, eq)] = ojson::parse(o.substr(eq + 1));
    }
    document["set"] = set;
  }
  ojson parameters = ojson::object();
  for (const Parameter& p : spec.parameters) {
    ojson values = ojson::array();
    for (const auto& v : p.values) values.push_back(ojson::parse(v.dump()));
    parameters[p.path] = values;
  }
  if (!spec.parameters.empty()) document["parameters"] = parameters;  // a find-only file has none
  document["zip"] = spec.zip;
  document["replications"] = spec.replications;
  document["seed"] = spec.seed;
  document["metrics"] = spec.metrics;
  if (spec.find) document["find"] = to_json(*spec.find);
  return document;
}

std::uint64_t point_count(const SweepSpec& spec) {
  if (spec.parameters.empty()) return 1;
  if (spec.zip) return spec.parameters.front().values.size();
  std::uint64_t count = 1;
  for (const Parameter& p : spec.parameters) count *= p.values.size();
  return count;
}

std::uint64_t run_count(const SweepSpec& spec) {
  return point_count(spec) * spec.replications;
}

std::vector<nlohmann::json> point_values(const SweepSpec& spec, std::uint64_t point) {
  std::vector<nlohmann::json> values(spec.parameters.size());
  if (spec.zip) {
    for (std::size_t i = 0; i < spec.parameters.size(); ++i) values[i] = spec.parameters[i].values[point];
    return values;
  }
  // Mixed radix, the last parameter the least significant digit.
  for (std::size_t i = spec.parameters.size(); i-- > 0;) {
    const std::uint64_t size = spec.parameters[i].values.size();
    values[i] = spec.parameters[i].values[point % size];
    point /= size;
  }
  return values;
}

SweepRun sweep_run(const SweepSpec& spec, std::uint64_t index) {
  SweepRun run;
  run.index = index;
  run.point = index / spec.replications;
  run.replication = index % spec.replications;
  run.seed = spec.seed + run.replication;
  const auto values = point_values(spec, run.point);
  for (std::size_t i = 0; i < values.size(); ++i)
    run.overrides.push_back(override_text(spec.parameters[i].path, values[i]));
  return run;
}

std::vector<SweepRun> expand_runs(const SweepSpec& spec) {
  std::vector<SweepRun> runs;
  const std::uint64_t count = run_count(spec);
  runs.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) runs.push_back(sweep_run(spec, i));
  return runs;
}

std::string describe_run(const SweepRun& run) {
  std::string line = fmt::format("run {:<4} point {:<4} replication {:<3} seed {:<6}", run.index, run.point,
                                 run.replication, run.seed);
  for (const std::string& o : run.overrides) line += " " + o;
  return line;
}

}  // namespace shardsim::sweep
