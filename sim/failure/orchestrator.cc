#include "shardsim/failure/orchestrator.h"

#include <algorithm>
#include <string>

namespace shardsim {

namespace {
constexpr std::uint64_t kMessageBytes = 512;
// RecoveryPollSeconds, a constant since orchestrator PR #364: the analysis runs every second.
constexpr Duration kRecoveryPoll = kSecond;
constexpr unsigned kWatchBits = 32;

std::uint64_t pack(std::uint64_t watch, std::uint64_t poll, bool replicating = false) {
  return (poll << (kWatchBits + 1)) | (static_cast<std::uint64_t>(replicating) << kWatchBits) | watch;
}
std::uint32_t watch_of(std::uint64_t packed) {
  return static_cast<std::uint32_t>(packed & 0xffffffffu);
}
bool replicating_of(std::uint64_t packed) {
  return ((packed >> kWatchBits) & 1u) != 0;
}
std::uint64_t poll_of(std::uint64_t packed) {
  return packed >> (kWatchBits + 1);
}
}  // namespace

Orchestrator::InstanceTimers::InstanceTimers(Simulation& sim, Orchestrator* orchestrator)
    : poll(sim, Callback::to<&Orchestrator::poll_due>(orchestrator)),
      master_heartbeat(sim, Callback::to<&Orchestrator::master_heartbeat_due>(orchestrator)) {}

Orchestrator::Orchestrator(Simulation& sim, Network& network, const OrchestratorSpec& spec,
                           std::uint64_t seed, Listener& listener)
    : FailureDetector(listener),
      sim_(sim),
      network_(network),
      spec_(spec),
      rng_(seed, "failover/orchestrator"),
      analysis_(sim, Callback::to<&Orchestrator::analyse>(this)),
      routers_(sim, network, kProxyCheckInterval, kProxyCheckSilence, seed,
               [this](std::uint32_t watch, bool down) { router_changed(watch, down); }) {}

void Orchestrator::start() {
  for (std::uint32_t w = 0; w < watch_count(); ++w) {
    const std::uint32_t cluster = watched(w).replica == nullptr ? 0 : watched(w).replica->shard() + 1;
    if (cluster >= clusters_.size()) clusters_.resize(cluster + 1);
    clusters_[cluster].members.push_back(w);
    Instance instance;
    instance.cluster = cluster;
    instances_.push_back(instance);
    timers_.emplace_back(sim_, this);
    const auto poll_phase = rng_.next_below(static_cast<std::uint64_t>(spec_.instance_poll));
    timers_.back().poll.arm_in(static_cast<Duration>(poll_phase), w);
    const auto beat_phase = rng_.next_below(static_cast<std::uint64_t>(spec_.slave_net_timeout / 2));
    timers_.back().master_heartbeat.arm_in(static_cast<Duration>(beat_phase), w);
    routers_.add({geo(w), [this, w] { return watched(w).alive(); }});
  }
  routers_.start();
  analysis_.arm_in(kRecoveryPoll);
}

// Reads follow the proxy's checks; a candidate also needs a valid last check (may_promote).
bool Orchestrator::declared_down(std::uint32_t watch) const {
  return routers_.down(watch);
}

GeoId Orchestrator::decision_geo(std::uint32_t watch) const {
  // The leader recovers masters (and updates the proxies from there); slaves are judged by the
  // proxy in their geo.
  return listener().is_master(watch) ? leader_geo() : geo(watch);
}

Duration Orchestrator::detection_horizon() const {
  // The replicas' IO threads stop slave_net_timeout after the last contact, seen at the next poll
  // (up to a poll period and a connect timeout later), then the next analysis tick.
  return spec_.slave_net_timeout + 2 * spec_.instance_poll + spec_.connect_timeout + kRecoveryPoll;
}

// chooseCandidateReplica: a must_not rule, or a last check that is not valid, rules a replica out.
bool Orchestrator::may_promote(std::uint32_t watch) const {
  return spec_.rule(geo(watch)) != OrchestratorSpec::Rule::kMustNot && instances_[watch].last_check_valid;
}

int Orchestrator::candidate_rank(std::uint32_t watch) const {
  return static_cast<int>(spec_.rule(geo(watch)));
}

bool Orchestrator::leader_has_quorum() const {
  std::size_t reachable = 0;
  for (const GeoId g : spec_.geos) {
    if (g == leader_geo() || !network_.partitioned(leader_geo(), g)) ++reachable;
  }
  return reachable >= spec_.geos.size() / 2 + 1;
}

std::uint32_t Orchestrator::master_of(std::uint32_t cluster) const {
  for (const std::uint32_t w : clusters_[cluster].members) {
    if (listener().is_master(w)) return w;
  }
  return ~0u;
}

// MySQL: the IO thread gives up on a connection silent for slave_net_timeout and reconnects
// (Slave_IO_Running: Connecting, which orchestrator does not count as replicating).
bool Orchestrator::io_thread_running(std::uint32_t watch) const {
  Time contact = instances_[watch].master_contact;
  for (const Replica* copy : watched(watch).copies) {
    if (copy->last_batch_at() != kTimeNever) contact = std::max(contact, copy->last_batch_at());
  }
  return sim_.now() - contact <= spec_.slave_net_timeout;
}

// ---- Polls ----

void Orchestrator::poll_due(std::uint64_t watch) {
  const auto w = static_cast<std::uint32_t>(watch);
  timers_[w].poll.arm_in(spec_.instance_poll, watch);
  Instance& instance = instances_[w];
  // A poll still unanswered at the next one is abandoned (its timeout has long passed).
  ++instance.poll;
  instance.answered = false;
  ++messages_;
  const std::uint64_t packed = pack(w, instance.poll);
  network_.send(leader_geo(), geo(w), kMessageBytes, Callback::to<&Orchestrator::poll_arrived>(this), packed);
  sim_.schedule_in(spec_.connect_timeout, Callback::to<&Orchestrator::poll_timed_out>(this), packed);
}

void Orchestrator::poll_arrived(std::uint64_t packed) {
  const std::uint32_t w = watch_of(packed);
  if (!watched(w).alive()) return;  // a crashed instance answers nothing
  ++messages_;
  network_.send(geo(w), leader_geo(), kMessageBytes, Callback::to<&Orchestrator::poll_answered>(this),
                pack(w, poll_of(packed), io_thread_running(w)));
}

void Orchestrator::poll_answered(std::uint64_t packed) {
  Instance& instance = instances_[watch_of(packed)];
  if (poll_of(packed) != instance.poll) return;
  instance.answered = true;
  instance.last_check_valid = true;
  instance.replicating = replicating_of(packed);
}

void Orchestrator::poll_timed_out(std::uint64_t packed) {
  Instance& instance = instances_[watch_of(packed)];
  if (poll_of(packed) != instance.poll || instance.answered) return;
  instance.last_check_valid = false;
}

// ---- The master's heartbeats to its replicas (MASTER_HEARTBEAT_PERIOD) ----

void Orchestrator::master_heartbeat_due(std::uint64_t watch) {
  const auto w = static_cast<std::uint32_t>(watch);
  timers_[w].master_heartbeat.arm_in(spec_.slave_net_timeout / 2, watch);
  const std::uint32_t master = master_of(instances_[w].cluster);
  if (master == ~0u || master == w || !watched(master).alive()) return;
  ++messages_;
  network_.send(geo(master), geo(w), kMessageBytes,
                Callback::to<&Orchestrator::master_heartbeat_arrived>(this), watch);
}

void Orchestrator::master_heartbeat_arrived(std::uint64_t watch) {
  const auto w = static_cast<std::uint32_t>(watch);
  if (watched(w).alive()) instances_[w].master_contact = sim_.now();
}

// ---- Analysis and recovery ----

void Orchestrator::analyse(std::uint64_t /*unused*/) {
  analysis_.arm_in(kRecoveryPoll);
  if (!leader_has_quorum()) return;  // only a raft leader with its quorum recovers
  for (std::uint32_t c = 0; c < clusters_.size(); ++c) analyse_cluster(c);
}

// GetReplicationAnalysis: DeadMaster and DeadMasterAndSomeReplicas are recovered;
// DeadMasterAndReplicas (no valid replica), UnreachableMaster (a replica still replicating) and
// DeadMasterWithoutReplicas are not.
void Orchestrator::analyse_cluster(std::uint32_t c) {
  Cluster& cluster = clusters_[c];
  const std::uint32_t master = master_of(c);
  if (master == ~0u || instances_[master].last_check_valid) return;
  std::size_t replicas = 0, valid = 0, replicating = 0;
  for (const std::uint32_t w : cluster.members) {
    if (w == master) continue;
    ++replicas;
    if (!instances_[w].last_check_valid) continue;
    ++valid;
    if (instances_[w].replicating) ++replicating;
  }
  if (replicas == 0 || valid == 0 || replicating > 0) return;
  const char* analysis = valid == replicas ? "dead_master" : "dead_master_and_some_replicas";
  if (cluster.last_recovery != kTimeNever && sim_.now() - cluster.last_recovery < spec_.recovery_block) {
    // The master being recovered (or whose recovery failed) stays dead until it is replaced: that
    // is no new failure. A new dead master is blocked, and said once per block.
    if (master != cluster.recovered_master && !cluster.block_reported) {
      listener().on_detector_event(sim_.now(), "recovery_blocked", name(master),
                                   "a recovery of this cluster within RecoveryPeriodBlockSeconds");
    }
    if (master != cluster.recovered_master) cluster.block_reported = true;
    return;
  }
  cluster.last_recovery = sim_.now();
  cluster.recovered_master = master;
  cluster.block_reported = false;
  listener().on_detector_event(
      sim_.now(), analysis, name(master),
      std::to_string(valid) + " of " + std::to_string(replicas) + " replicas confirm");
  listener().on_declared_down(master, sim_.now());
}

void Orchestrator::router_changed(std::uint32_t watch, bool down) {
  if (!down) {
    listener().on_declared_up(watch, sim_.now());
    return;
  }
  // A master is recovered by the analysis, not by the proxy's checks.
  if (!listener().is_master(watch)) listener().on_declared_down(watch, sim_.now());
}

}  // namespace shardsim
