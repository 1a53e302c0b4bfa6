// The orchestrator policy: MySQL Orchestrator's failure detection and master recovery
// (openark/orchestrator 3.2, go/inst/analysis_dao.go and go/logic/topology_recovery.go), modelled
// message by message over the simulated network. docs/failover-policies.md gives the sources, the
// formula for the detection time, and what is simplified.
//
// Clusters are the replica sets of the other policies: the two global masters, and each shard's
// master with its slaves (the shard master's own feed from the global master is outside it).
//
// - The orchestrator leader (the first of `geos`; it acts only while it reaches a majority of the
//   orchestrator nodes, as a raft leader) polls every instance every `instance_poll_s`. A poll not
//   answered within `connect_timeout_s` leaves the instance's last check invalid. A replica's
//   answer says whether its IO thread is running: it stops `slave_net_timeout_s` after the last
//   thing the replica heard from its master (a replication batch, or the master's heartbeat, sent
//   every slave_net_timeout / 2, MySQL's default heartbeat period).
// - Every second the leader analyses each cluster. DeadMaster: the master's last check is invalid,
//   and none of the replicas whose last check is valid is replicating (all valid: DeadMaster; some:
//   DeadMasterAndSomeReplicas; none valid, or some replicating: no action). It then recovers the
//   master, unless a recovery of the same cluster happened within `recovery_block_s` (anti-flapping).
// - The recovery promotes, after the scenario's promotion_ms, the most advanced replica that the
//   orchestrator sees valid, not excluded by a `must_not` promotion rule or by
//   prevent_cross_region_failover; level candidates go by promotion rule.
// - Slaves: HAProxy's checks take a slave off its SLB (router_health_checks.h).
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/failure/router_health_checks.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Orchestrator : public FailureDetector {
 public:
  Orchestrator(Simulation& sim, Network& network, const OrchestratorSpec& spec, std::uint64_t seed,
               Listener& listener);

  void start() override;
  bool declared_down(std::uint32_t watch) const override;
  GeoId decision_geo(std::uint32_t watch) const override;
  Duration detection_horizon() const override;
  Duration observation_delay(std::uint32_t /*watch*/, GeoId /*promoted_geo*/) override { return 0; }
  std::uint64_t messages_sent() const override { return messages_ + routers_.messages_sent(); }
  bool may_promote(std::uint32_t watch) const override;
  int candidate_rank(std::uint32_t watch) const override;

 private:
  struct Instance {
    std::uint32_t cluster = 0;
    bool last_check_valid = true;
    bool replicating = true;  // the IO thread, as the last answered poll said
    std::uint64_t poll = 0;   // the poll in flight (to ignore a late answer to an earlier one)
    bool answered = true;
    Time master_contact = 0;  // the last heartbeat from its master that reached it
  };
  struct Cluster {
    std::vector<std::uint32_t> members;  // watches
    Time last_recovery = kTimeNever;
    std::uint32_t recovered_master = ~0u;
    bool block_reported = false;
  };
  struct InstanceTimers {
    InstanceTimers(Simulation& sim, Orchestrator* orchestrator);
    Timer poll, master_heartbeat;
  };

  GeoId leader_geo() const { return spec_.geos.front(); }
  bool leader_has_quorum() const;
  std::uint32_t master_of(std::uint32_t cluster) const;
  bool io_thread_running(std::uint32_t watch) const;

  void poll_due(std::uint64_t watch);
  void poll_arrived(std::uint64_t watch_and_poll);
  void poll_answered(std::uint64_t watch_and_poll_and_state);
  void poll_timed_out(std::uint64_t watch_and_poll);
  void master_heartbeat_due(std::uint64_t watch);
  void master_heartbeat_arrived(std::uint64_t watch);
  void analyse(std::uint64_t unused);
  void analyse_cluster(std::uint32_t cluster);
  void router_changed(std::uint32_t watch, bool down);

  Simulation& sim_;
  Network& network_;
  OrchestratorSpec spec_;
  RandomStream rng_;
  std::vector<Instance> instances_;  // by watch
  std::vector<Cluster> clusters_;
  std::deque<InstanceTimers> timers_;  // by watch
  Timer analysis_;
  RouterHealthChecks routers_;
  std::uint64_t messages_ = 0;
};

}  // namespace shardsim
