// A failure detector watches the masters and slaves and tells the failover coordinator when to act:
// a master to fail over, a slave to take off its SLB, a slave that is back. Policies differ in where
// the detectors run, how they agree and how long that takes (docs/failover-policies.md):
// `HeartbeatMonitor` is one monitor, `Sentinels` is Redis Sentinel's quorum and leader election,
// `ReplicaSetElections` is MongoDB's replica-set elections, `LeaderLeases` is Patroni's leader key
// in a coordination store, `Orchestrator` is MySQL Orchestrator's holistic dead-master analysis.
//
// Detectors see the system only through messages over the network, so a partition between a
// detector and a healthy node can make it declare the node down: a false failover, modelled and
// counted, not prevented.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"

namespace shardsim {

class FailureDetector {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    // Act on the node now: fail it over if it is a master, route around it if it is a slave.
    virtual void on_declared_down(std::uint32_t watch, Time now) = 0;
    virtual void on_declared_up(std::uint32_t watch, Time now) = 0;
    // Whether the node is a master now (a failover candidate's role changes as failovers happen).
    virtual bool is_master(std::uint32_t watch) const = 0;
    // How much of the replication log the node holds (its optime), to compare two candidates of the
    // same replica set: a voter refuses a candidate behind it.
    virtual std::uint64_t replication_position(std::uint32_t /*watch*/) const { return 0; }
    // The master stops taking writes (it lost its lease: Patroni restarts it read-only), or takes
    // them again (it renewed the lease in time).
    virtual void on_master_demoted(std::uint32_t /*watch*/, Time /*now*/) {}
    virtual void on_master_reinstated(std::uint32_t /*watch*/, Time /*now*/) {}
    // A step of the detector's own protocol, for the failure timeline.
    virtual void on_detector_event(Time now, std::string what, std::string node, std::string detail) = 0;
  };

  explicit FailureDetector(Listener& listener) : listener_(listener) {}
  virtual ~FailureDetector() = default;
  FailureDetector(const FailureDetector&) = delete;
  FailureDetector& operator=(const FailureDetector&) = delete;

  // Watches a node: alive while `node` (if given) and `replica` (if given) are up. `copies` are the
  // node's copies of the shards, fed by replication (contact with the master, for detectors that
  // count it). Returns its id.
  std::uint32_t watch(std::string name, GeoId geo, const Node* node, const Replica* replica,
                      std::vector<const Replica*> copies = {}) {
    if (replica != nullptr && copies.empty()) copies.push_back(replica);
    watched_.push_back(WatchedNode{std::move(name), geo, node, replica, std::move(copies)});
    return static_cast<std::uint32_t>(watched_.size() - 1);
  }
  const std::string& name(std::uint32_t watch) const { return watched_[watch].name; }
  GeoId geo(std::uint32_t watch) const { return watched_[watch].geo; }
  std::size_t watch_count() const { return watched_.size(); }

  // Starts the detector's timers, once every node is watched.
  virtual void start() = 0;
  // Whether the node is down in the view that routes around it (a slave off its SLB, a candidate
  // not to promote).
  virtual bool declared_down(std::uint32_t watch) const = 0;
  // Where the last decision about the node was taken: the news of a failover leaves from here.
  virtual GeoId decision_geo(std::uint32_t watch) const = 0;
  // The longest delay from a crash to its declaration: a declaration later than this after the
  // node's last crash is a false failover.
  virtual Duration detection_horizon() const = 0;
  // The time from a promotion to the moment the detector has seen it and tells the routers, beyond
  // the network's delay (0: at once; a sentinel sees the new role at its next INFO poll).
  // `watch` is the master failed over, `promoted_geo` where its replacement now serves.
  virtual Duration observation_delay(std::uint32_t watch, GeoId promoted_geo) = 0;
  // Protocol messages sent (pings, heartbeats, votes), for the report.
  virtual std::uint64_t messages_sent() const = 0;

  // How a replica becomes master once a master is declared down: after the scenario's promotion
  // time (one monitor); by a command the decider sends from its geo to the replica (a sentinel
  // leader); or at once, by the replica the detector chose (an election's winner promotes itself).
  enum class Promotion : std::uint8_t { kAfterPromotionTime, kCommandFromDecisionGeo, kBySuccessor };
  virtual Promotion promotion() const { return Promotion::kAfterPromotionTime; }
  // Under kCommandFromDecisionGeo: how long after its decision the decider sends the command (a
  // sentinel leader's failover state machine takes a timer tick per step).
  virtual Duration command_delay(std::uint32_t /*watch*/) { return 0; }
  // The coordinator could not carry out the decision to fail `watch` over (no replica to promote,
  // or the promotion was not confirmed in time): a detector that retries may try again.
  virtual void promotion_failed(std::uint32_t /*watch*/) {}
  // Whether the node may replace a master at all (Orchestrator's promotion rule must_not), and its
  // rank among candidates level in replication position (higher first: prefer, neutral, prefer_not).
  virtual bool may_promote(std::uint32_t /*watch*/) const { return true; }
  virtual int candidate_rank(std::uint32_t /*watch*/) const { return 0; }
  // When the detectors began to agree that the master `watch`, declared down now, has failed: the
  // start of the election (or the lease's expiry) that decided it. kTimeNever: no such step.
  virtual Time election_started(std::uint32_t /*watch*/) const { return kTimeNever; }
  // The watched node's process died on a live host: every connection to it is reset, which each
  // detector learns after the one-way latency from the node's geo (a silence is all it gets when
  // the host is lost). Only detectors whose real counterpart reacts to a reset override it.
  virtual void on_connections_reset(std::uint32_t /*watch*/) {}
  // Redis replica-priority of a candidate: lower is promoted first, compared before the replication
  // position; 0 is never promoted. Equal for every node unless the detector ranks them.
  virtual std::uint32_t replica_priority(std::uint32_t /*watch*/) const { return 1; }
  // The decider's reconfiguration of the other replicas after it failed `watch` over (a Sentinel
  // leader's RECONF_SLAVES state): how many at a time (0: the replicas follow at the promotion),
  // the wait for its next timer tick, and for its next status poll of a replica (INFO).
  virtual std::uint32_t parallel_syncs() const { return 0; }
  virtual Duration tick_wait(std::uint32_t /*watch*/) { return 0; }
  virtual Duration poll_wait(std::uint32_t /*watch*/) { return 0; }
  virtual Duration poll_period() const { return kSecond; }
  // Under kBySuccessor: the watched node that replaces the master `watch`.
  virtual std::optional<std::uint32_t> successor(std::uint32_t /*watch*/) const { return std::nullopt; }

 protected:
  struct WatchedNode {
    std::string name;
    GeoId geo = 0;
    const Node* node = nullptr;
    const Replica* replica = nullptr;
    std::vector<const Replica*> copies;
    bool alive() const { return (node == nullptr || node->up()) && (replica == nullptr || replica->up()); }
  };
  const WatchedNode& watched(std::uint32_t watch) const { return watched_[watch]; }
  Listener& listener() const { return listener_; }

 private:
  Listener& listener_;
  std::vector<WatchedNode> watched_;
};

}  // namespace shardsim
