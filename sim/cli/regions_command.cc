// shardsim regions [PROVIDER | PROVIDER:REGION PROVIDER:REGION]
#include <iostream>

#include <fmt/format.h>

#include "cli/commands.h"
#include "scenario/suggest.h"
#include "shardsim/scenario/region_catalog.h"

namespace shardsim::cli {
namespace {

constexpr const char* kRegionsUsage =
    "Usage: shardsim regions                      the shipped region tables and their sources\n"
    "       shardsim regions PROVIDER             one table's regions\n"
    "       shardsim regions P:REGION P:REGION    two regions' round trips and the one-way latency\n"
    "                                             a scenario binding them would get\n\n"
    "A scenario places a geo in a region with network.regions: {\"india\": \"azure:centralindia\"}\n"
    "(docs/scenario-format.md, \"Real regions\").\n\n"
    "Examples:\n  shardsim regions\n  shardsim regions azure\n"
    "  shardsim regions azure:centralindia azure:eastus\n\n"
    "Exit codes: 0 success, 2 an unknown table or region.\n";

// Names, wrapped to the terminal's customary width.
std::string wrapped(const std::vector<std::string>& names, const std::string& indent) {
  std::string out = indent;
  std::size_t column = indent.size();
  for (const std::string& name : names) {
    if (column > indent.size() && column + 1 + name.size() > 96) {
      out += "\n" + indent;
      column = indent.size();
    }
    out += (column > indent.size() ? " " : "") + name;
    column += (column > indent.size() ? 1 : 0) + name.size();
  }
  return out + "\n";
}

void print_table(const RegionDataset& dataset, bool with_regions) {
  const RegionDataset::Provenance& p = dataset.provenance();
  fmt::print(
      "{}: {} regions\n  figures:     {}\n  measured:    {}\n  source:      {}\n  licence:     {}\n"
      "  attribution: {}\n  file:        {}\n",
      dataset.provider(), dataset.regions().size(), p.statistic, p.measured, p.source, p.licence,
      p.attribution, p.file);
  if (with_regions) fmt::print("  regions:\n{}", wrapped(dataset.regions(), "    "));
}

const RegionDataset* dataset_or_error(const std::string& provider) {
  const RegionDataset* dataset = find_region_dataset(provider);
  if (!dataset) {
    std::vector<std::string> names;
    for (const RegionDataset& d : region_datasets()) names.push_back(d.provider());
    std::cerr << fmt::format("shardsim regions: unknown region table \"{}\"; the shipped tables are: {}\n",
                             provider, fmt::join(names, ", "));
  }
  return dataset;
}

std::optional<RegionRef> region_or_error(const std::string& text) {
  const auto ref = parse_region_ref(text);
  if (!ref) {
    std::cerr << fmt::format(
        "shardsim regions: expected PROVIDER:REGION, such as azure:centralindia, found \"{}\"\n", text);
    return std::nullopt;
  }
  const RegionDataset* dataset = dataset_or_error(ref->provider);
  if (!dataset) return std::nullopt;
  if (!dataset->has_region(ref->region)) {
    const auto near = scenario_internal::closest_match(ref->region, dataset->regions());
    std::cerr << fmt::format(
        "shardsim regions: unknown {} region \"{}\"{} (shardsim regions {} lists them)\n", ref->provider,
        ref->region, near ? fmt::format("; did you mean \"{}:{}\"?", ref->provider, *near) : "",
        ref->provider);
    return std::nullopt;
  }
  return ref;
}

int print_pair(const std::string& first, const std::string& second) {
  const auto a = region_or_error(first), b = region_or_error(second);
  if (!a || !b) return kExitBadInput;
  if (a->provider != b->provider || a->region == b->region) {
    std::cerr << "shardsim regions: expected two different regions of one table\n";
    return kExitBadInput;
  }
  const RegionDataset& dataset = *find_region_dataset(a->provider);
  const double there = *dataset.round_trip_ms(a->region, b->region);
  const double back = *dataset.round_trip_ms(b->region, a->region);
  const Distribution one_way = region_link_latency(there, back, kDefaultRegionP99OverMedian);
  fmt::print("{} -> {}: round trip {} ms\n{} -> {}: round trip {} ms\n", first, second, there, second, first,
             back);
  fmt::print("one-way latency of a scenario binding both (either direction): {}\n", one_way.describe());
  fmt::print("  (median = mean round trip / 2; p99 = median x {}, network.region_p99_over_median)\n",
             kDefaultRegionP99OverMedian);
  fmt::print("source: {} ({})\n", dataset.provenance().source, dataset.provenance().licence);
  return kExitOk;
}

}  // namespace

int regions_command(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << kRegionsUsage;
    return kExitOk;
  }
  if (args.empty()) {
    for (const RegionDataset& dataset : region_datasets()) print_table(dataset, false);
    fmt::print("\n`shardsim regions PROVIDER` lists a table's regions.\n");
    return kExitOk;
  }
  if (args.size() == 1) {
    const RegionDataset* dataset = dataset_or_error(args[0]);
    if (!dataset) return kExitBadInput;
    print_table(*dataset, true);
    return kExitOk;
  }
  if (args.size() == 2) return print_pair(args[0], args[1]);
  std::cerr << "shardsim regions: expected at most two regions (see shardsim regions --help)\n";
  return kExitBadInput;
}

}  // namespace shardsim::cli
