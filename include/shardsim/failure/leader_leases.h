// The lease policy: Patroni's leader key in a coordination store (etcd or Consul), modelled message
// by message over the simulated network. docs/failover-policies.md gives the sources (Patroni 3.3,
// patroni/ha.py and patroni/dcs/), the formula for the time from a crash to the new leader, and
// what is simplified.
//
// Replica sets are those of the election policy (the two global masters; each shard's master and
// slaves), without arbiters. Each member runs a Patroni agent; each set keeps one leader key in the
// store, whose nodes sit in `store_geos`. The first store node is the store's Raft leader: every
// write goes to it and commits once a majority of the store nodes have it.
//
// - Every agent runs its HA loop every `loop_wait` (at its own phase). The leader renews its key
//   (the key then lives `ttl` from the commit) and publishes its position. A renewal not confirmed
//   within `retry_timeout` (or refused: the key is gone or someone else's) makes the leader demote
//   itself: the master refuses writes until it holds the key again.
// - A replica reads the key in its loop, and watches it: the store tells every agent of the set
//   when the key expires (a store write too: without a majority nothing expires) or is taken.
// - A replica that sees no key races for it if it is the healthiest: not behind the last published
//   position by more than maximum_lag_on_failover, and no other member it can reach within 2 s
//   (Patroni's REST timeout) is still primary, ahead of it, or level with it at a higher priority.
//   It then creates the key if absent (atomically, in the store); the one that gets it is promoted
//   by the failover coordinator at once.
// - Slaves: HAProxy checks each node's REST API every 3 s and takes it out after 3 failed checks
//   (Patroni's haproxy.cfg template: inter 3s fall 3), modelled as a router in the node's geo.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/failure/router_health_checks.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class LeaderLeases : public FailureDetector {
 public:
  LeaderLeases(Simulation& sim, Network& network, const LeaseSpec& spec, std::uint64_t seed,
               Listener& listener);

  void start() override;
  bool declared_down(std::uint32_t watch) const override { return routers_.down(watch); }
  GeoId decision_geo(std::uint32_t watch) const override;
  Duration detection_horizon() const override;
  Duration observation_delay(std::uint32_t /*watch*/, GeoId /*promoted_geo*/) override { return 0; }
  std::uint64_t messages_sent() const override { return messages_ + routers_.messages_sent(); }
  Promotion promotion() const override { return Promotion::kBySuccessor; }
  std::optional<std::uint32_t> successor(std::uint32_t watch) const override;
  Time election_started(std::uint32_t watch) const override {
    return clusters_[agents_[watch].set].expired_at;
  }

  // The store's majority.
  std::uint32_t store_quorum() const { return static_cast<std::uint32_t>(spec_.store_geos.size() / 2 + 1); }

 private:
  static constexpr std::uint32_t kNobody = ~0u;

  struct Agent {
    std::uint32_t set = 0;
    std::uint32_t watch = 0;
    double priority = 1;     // failover_priority; 0: the nofailover tag
    bool holds_key = false;  // as far as the agent knows
    bool demoted = false;    // a leader that lost its key: read-only until it holds it again
    // A race for the key: its round, answers still awaited, and whether it is still the healthiest.
    bool racing = false;
    std::uint64_t race = 0;
    std::uint32_t awaited = 0;
    bool healthiest = false;
  };
  struct Cluster {
    std::vector<std::uint32_t> agents;  // by watch order: the set's master at start first
    std::uint32_t holder = kNobody;     // who the store says holds the leader key
    Time expires_at = kTimeNever;
    std::uint64_t published_position = 0;  // the leader's last published position (the /status key)
    std::uint32_t winner = kNobody;        // the agent that took the key from another primary last
    Time expired_at = kTimeNever;          // when the store last deleted the expired key
  };
  enum class OpKind : std::uint8_t { kRenew, kAcquire, kRead, kExpire };
  struct Op {
    OpKind kind = OpKind::kRead;
    std::uint32_t agent = 0;  // kExpire: the cluster instead
    std::uint64_t position = 0;
    std::uint32_t acks = 0;
    bool committed = false;
    bool settled = false;          // the agent has its answer, or gave up at retry_timeout
    std::uint32_t generation = 0;  // of its slot (see new_op)
  };
  enum class Kind : std::uint8_t {
    kRequest,
    kAppend,
    kAppendAck,
    kReply,
    kNotify,
    kStatusQuery,
    kStatusAnswer
  };
  struct Message {
    Kind kind = Kind::kRequest;
    std::uint64_t op = 0;     // kRequest, kAppend, kAppendAck, kReply
    std::uint32_t from = 0;   // agent, or store node for store messages
    std::uint32_t to = 0;     // agent, or store node
    std::uint64_t round = 0;  // kStatusQuery/Answer: the race
    std::uint64_t position = 0;
    bool flag = false;  // kReply: success; kStatusAnswer: still primary
    double priority = 0;
    std::uint32_t holder = kNobody;  // kReply, kNotify: the key's holder
  };

  bool alive(std::uint32_t agent) const { return watched(agents_[agent].watch).alive(); }
  bool is_primary(std::uint32_t agent) const { return listener().is_master(agents_[agent].watch); }
  std::uint64_t position(std::uint32_t agent) const {
    return listener().replication_position(agents_[agent].watch);
  }
  Cluster& cluster_of(std::uint32_t agent) { return clusters_[agents_[agent].set]; }
  GeoId geo_of(const Message& m, bool destination) const;
  void send(const Message& message);
  void resend(std::uint64_t slot);
  void lost(std::uint64_t slot);
  void arrived(std::uint64_t slot);
  void event(std::uint32_t agent, const char* what, std::string detail = {});

  void loop_due(std::uint64_t agent);
  std::uint64_t new_op(const Op& op);
  Op* live(std::uint64_t handle);
  void free_op(std::uint64_t handle);
  void request(std::uint64_t op);
  void op_deadline(std::uint64_t op);
  void store_received(std::uint64_t op);
  void append_acknowledged(std::uint64_t op);
  void commit(std::uint64_t op);
  void expiry_due(std::uint64_t cluster);
  void notify_cluster(std::uint32_t cluster);
  void replied(const Message& m);
  void notified(const Message& m);
  void renewal_failed(std::uint32_t agent);
  void race(std::uint32_t agent);
  void status_queried(const Message& m);
  void status_answered(const Message& m);
  void race_timeout(std::uint64_t agent_and_race);
  void finish_race(std::uint32_t agent);
  void took_key(std::uint32_t agent);

  void router_changed(std::uint32_t watch, bool down);

  Simulation& sim_;
  Network& network_;
  LeaseSpec spec_;
  RandomStream rng_;
  std::vector<Agent> agents_;  // by watch
  std::vector<Cluster> clusters_;
  std::deque<Timer> loops_;   // by agent
  std::deque<Timer> expiry_;  // by cluster
  std::vector<Op> ops_;       // by slot
  std::vector<std::uint32_t> free_ops_;
  std::vector<Message> in_flight_;
  std::vector<std::uint64_t> free_messages_;
  RouterHealthChecks routers_;  // HAProxy's checks of each watched node, by watch
  std::uint64_t messages_ = 0;
};

}  // namespace shardsim
