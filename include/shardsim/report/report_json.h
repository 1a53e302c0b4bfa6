// The report of a run as JSON: the stable, versioned structure documented in docs/metrics.md.
// The text summary is rendered from this JSON, so the two can never disagree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/kernel/time.h"

namespace shardsim {

class Topology;
struct FailureLog;

inline constexpr int kReportVersion = 1;

// Whether every live copy caught up with the master once the clients stopped (the drain).
struct Convergence {
  bool checked = false;
  bool converged = false;
  Duration after = 0;                // drain time until converged (or the drain limit)
  std::vector<std::string> lagging;  // live copies still behind at the limit
  // Async writes still waiting in the message queue at the limit (no live master took them): the
  // other reason a drain can fail, reported so that "not converged" is never left unexplained.
  std::uint64_t queued_writes = 0;
  // Injected failures still in force when the drain ended (a crash without a duration, or one
  // that ends more than the drain limit after the window): copies they hold back cannot converge,
  // so a drain that fails with failures in force is explained, not an invariant violation.
  int failures_in_force = 0;
  // The invariant: converged, or held back by failures still in force.
  bool converged_once_healed() const { return converged || failures_in_force > 0; }
};

// The report at the end of the measured window.
nlohmann::json build_report(Topology& topology, const FailureLog& failures, bool interrupted);
// The convergence check that follows the window (see run.cc's drain), and its verdict folded into
// report["invariants"] (a run that does not converge with every failure healed exits 1).
nlohmann::json convergence_json(const Convergence& convergence);
void add_convergence(nlohmann::json& report, const Convergence& convergence);

}  // namespace shardsim
