// Published round-trip times between cloud regions, shipped with shardsim (data/regions/), so a
// scenario can place a geo in a real region instead of inventing its latencies.
//
// A geo is bound to a region by a reference "provider:region" (`azure:centralindia`) in
// `network.regions`. The one-way latency between two bound geos is then derived from the
// measured round trips (region_link_latency), unless an explicit `network.links` entry sets it.
// The tables are embedded in the binary at build time: a run needs no file, and every run of a
// given binary reads the same numbers.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/random/distribution.h"

namespace shardsim {

// One shipped table: a provider's median round trips between its regions, with its provenance.
class RegionDataset {
 public:
  struct RoundTrip {
    std::string from;
    std::string to;
    double ms = 0;
  };
  struct Provenance {
    std::string statistic;    // what each figure is, e.g. "P50 round-trip time, ms"
    std::string measured;     // the measurement period
    std::string source;       // where the figures were read (URL)
    std::string licence;      // the licence they are shipped under
    std::string attribution;  // the credit the licence asks for
    std::string file;         // the file in the repository
  };

  RegionDataset(std::string provider, Provenance provenance, std::vector<RoundTrip> round_trips);

  const std::string& provider() const { return provider_; }
  const Provenance& provenance() const { return provenance_; }
  // The regions the table covers, sorted.
  const std::vector<std::string>& regions() const { return regions_; }
  bool has_region(std::string_view region) const;
  // The measured round trip from `from` to `to` (the tables give both directions, which may
  // differ by a few ms); nullopt for a pair the table lacks (a region with itself).
  std::optional<double> round_trip_ms(std::string_view from, std::string_view to) const;

 private:
  std::string provider_;
  Provenance provenance_;
  std::vector<RoundTrip> round_trips_;  // sorted by (from, to)
  std::vector<std::string> regions_;
};

// Every shipped table, sorted by provider.
const std::vector<RegionDataset>& region_datasets();
const RegionDataset* find_region_dataset(std::string_view provider);

// "azure:centralindia" -> {"azure", "centralindia"}; nullopt without exactly one ':' between two
// non-empty parts.
struct RegionRef {
  std::string provider;
  std::string region;
};
std::optional<RegionRef> parse_region_ref(std::string_view text);

// The share a one-way trip's 99th percentile lies above its median when the scenario does not
// say (`network.region_p99_over_median`): backbone round trips vary little (the providers'
// monthly P95 tables lie a few percent above P50 on long routes), while a single message also
// meets queueing the monthly figures smooth out. docs/scenario-format.md, "Real regions".
inline constexpr double kDefaultRegionP99OverMedian = 1.1;

// The one-way latency between two regions whose measured round trips are `there_ms` and
// `back_ms`: lognormal with median (there_ms + back_ms) / 4 (half the mean round trip; the
// table's two directions are two measurements of one round trip) and p99 = median x
// `p99_over_median`.
Distribution region_link_latency(double there_ms, double back_ms, double p99_over_median);

}  // namespace shardsim
