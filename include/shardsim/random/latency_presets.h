// Published latency fits, by name, as distributions in milliseconds.
//
// Bailis et al., "Probabilistically Bounded Staleness for Practical Partial Quorums" (PVLDB 5(8),
// 2012), fit production message latencies from LinkedIn's Voldemort (on SSD and on 15k RPM disk)
// and Yammer's Riak with mixtures of a Pareto and an exponential (its Table 3, "Distribution fits
// for production latency distributions"). W is the write to a replica, A its acknowledgement, R a
// read request, S its response; where the paper gives one fit for several of them, one preset
// covers them. The figures are the paper's; docs/scenario-format.md lists them with their source.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shardsim/random/distribution.h"

namespace shardsim {

// The distribution named `name` (e.g. "pbs/lnkd-ssd"), in milliseconds; nullopt if unknown.
std::optional<Distribution> latency_preset(std::string_view name);

// Every preset's name, in a stable order.
std::vector<std::string> latency_preset_names();

}  // namespace shardsim
