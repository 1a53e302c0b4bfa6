#include "shardsim/failure/router_health_checks.h"

#include <utility>

namespace shardsim {

namespace {
constexpr std::uint64_t kCheckBytes = 128;
}

RouterHealthChecks::Check::Check(Simulation& sim, RouterHealthChecks* checks)
    : beat(sim, Callback::to<&RouterHealthChecks::beat>(checks)),
      deadline(sim, Callback::to<&RouterHealthChecks::missed>(checks)) {}

RouterHealthChecks::RouterHealthChecks(Simulation& sim, Network& network, Duration interval, Duration silence,
                                       std::uint64_t seed, std::function<void(std::uint32_t, bool)> on_change)
    : sim_(sim),
      network_(network),
      interval_(interval),
      silence_(silence),
      rng_(seed, "failover/router-checks"),
      on_change_(std::move(on_change)) {}

void RouterHealthChecks::add(Target target) {
  targets_.push_back(std::move(target));
}

void RouterHealthChecks::start() {
  for (std::uint32_t t = 0; t < targets_.size(); ++t) {
    checks_.push_back(std::make_unique<Check>(sim_, this));
    checks_.back()->beat.arm_in(static_cast<Duration>(rng_.next_below(static_cast<std::uint64_t>(interval_))),
                                t);
    checks_.back()->deadline.arm_in(silence_ + 1, t);
  }
}

// The answer is modelled as one message from the node to its router (the check's request, inside
// the geo, is folded into it).
void RouterHealthChecks::beat(std::uint64_t target) {
  checks_[target]->beat.arm_in(interval_, target);
  if (!targets_[target].alive()) return;
  ++messages_;
  const GeoId geo = targets_[target].geo;
  network_.send(geo, geo, kCheckBytes, Callback::to<&RouterHealthChecks::heard>(this), target);
}

void RouterHealthChecks::heard(std::uint64_t target) {
  Check& check = *checks_[target];
  // Out once the silence exceeds the limit (the 1 ns: an answer exactly on time counts).
  check.deadline.arm_in(silence_ + 1, target);
  if (!check.down) return;
  check.down = false;
  on_change_(static_cast<std::uint32_t>(target), false);
}

void RouterHealthChecks::missed(std::uint64_t target) {
  Check& check = *checks_[target];
  if (check.down) return;
  check.down = true;
  on_change_(static_cast<std::uint32_t>(target), true);
}

}  // namespace shardsim
