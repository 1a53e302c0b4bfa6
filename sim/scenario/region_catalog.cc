#include "shardsim/scenario/region_catalog.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <tuple>

#include "scenario/region_tables.h"

namespace shardsim {
namespace {

// The embedded CSV is the repository's own file: a malformed row is a build defect, so it throws
// (and the catalog test fails) rather than being skipped.
std::vector<RegionDataset::RoundTrip> parse_round_trips(std::string_view csv, std::string_view file) {
  std::vector<RegionDataset::RoundTrip> rows;
  bool header = true;
  while (!csv.empty()) {
    const std::size_t end = std::min(csv.find('\n'), csv.size());
    std::string_view line = csv.substr(0, end);
    csv.remove_prefix(std::min(end + 1, csv.size()));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    const std::size_t first = line.find(','), second = line.find(',', first + 1);
    if (first == std::string_view::npos || second == std::string_view::npos)
      throw std::logic_error(std::string(file) + ": a row without three fields");
    double ms = 0;
    const std::string_view number = line.substr(second + 1);
    const auto [ptr, error] = std::from_chars(number.data(), number.data() + number.size(), ms);
    if (error != std::errc() || ptr != number.data() + number.size() || !(ms > 0))
      throw std::logic_error(std::string(file) + ": a round trip that is not a positive number");
    rows.push_back(
        {std::string(line.substr(0, first)), std::string(line.substr(first + 1, second - first - 1)), ms});
  }
  return rows;
}

RegionDataset azure_dataset() {
  RegionDataset::Provenance provenance;
  provenance.statistic = "P50 (median) round-trip time between regions, ms";
  provenance.measured = "the 30 days ending 30 July 2026 (page dated 2026-07-30)";
  provenance.source = "https://learn.microsoft.com/azure/networking/azure-network-latency";
  provenance.licence = "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)";
  provenance.attribution =
      "Azure network round-trip latency statistics, Microsoft, CC BY 4.0; modified: the P50 figures "
      "extracted into a CSV, region names replaced by Azure region identifiers";
  provenance.file = "data/regions/azure_rtt_p50_ms.csv";
  return RegionDataset("azure", provenance,
                       parse_round_trips(scenario_internal::azure_rtt_p50_ms_csv(), provenance.file));
}

}  // namespace

RegionDataset::RegionDataset(std::string provider, Provenance provenance, std::vector<RoundTrip> round_trips)
    : provider_(std::move(provider)),
      provenance_(std::move(provenance)),
      round_trips_(std::move(round_trips)) {
  std::sort(round_trips_.begin(), round_trips_.end(), [](const RoundTrip& a, const RoundTrip& b) {
    return std::tie(a.from, a.to) < std::tie(b.from, b.to);
  });
  for (const RoundTrip& trip : round_trips_) {
    regions_.push_back(trip.from);
    regions_.push_back(trip.to);
  }
  std::sort(regions_.begin(), regions_.end());
  regions_.erase(std::unique(regions_.begin(), regions_.end()), regions_.end());
}

bool RegionDataset::has_region(std::string_view region) const {
  return std::binary_search(regions_.begin(), regions_.end(), region);
}

std::optional<double> RegionDataset::round_trip_ms(std::string_view from, std::string_view to) const {
  const auto it =
      std::lower_bound(round_trips_.begin(), round_trips_.end(), std::pair(from, to),
                       [](const RoundTrip& trip, const std::pair<std::string_view, std::string_view>& key) {
                         return std::pair<std::string_view, std::string_view>(trip.from, trip.to) < key;
                       });
  if (it == round_trips_.end() || it->from != from || it->to != to) return std::nullopt;
  return it->ms;
}

const std::vector<RegionDataset>& region_datasets() {
  static const std::vector<RegionDataset> datasets = {azure_dataset()};
  return datasets;
}

const RegionDataset* find_region_dataset(std::string_view provider) {
  for (const RegionDataset& dataset : region_datasets())
    if (dataset.provider() == provider) return &dataset;
  return nullptr;
}

std::optional<RegionRef> parse_region_ref(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size() ||
      text.find(':', colon + 1) != std::string_view::npos)
    return std::nullopt;
  return RegionRef{std::string(text.substr(0, colon)), std::string(text.substr(colon + 1))};
}

Distribution region_link_latency(double there_ms, double back_ms, double p99_over_median) {
  // Rounded to the microsecond: finer digits mean nothing, and would clutter every description.
  const auto microseconds = [](double ms) { return std::round(ms * 1000) / 1000; };
  const double median = microseconds((there_ms + back_ms) / 4);
  return Distribution::lognormal(median, microseconds(median * p99_over_median));
}

}  // namespace shardsim
