// The sentinel policy: Redis Sentinel's failure detection and leader election (Redis 7.2,
// src/sentinel.c), modelled message by message over the simulated network. docs/failover-policies.md
// gives the sources, the formula for the detection time, and what is simplified.
//
// - Each sentinel pings every master and slave every min(down_after, 1 s), every 0.5 s while a
//   reply is missing. A node is subjectively down (SDOWN) for a sentinel once its oldest
//   unanswered ping is older than down_after; the sentinel notices at its next timer tick
//   (10 to 19 Hz, drawn at random per tick as Redis does).
// - A sentinel that sees a master SDOWN asks the others (is-master-down-by-addr) at once and then
//   every second; an answer counts for 5 s. The master is objectively down (ODOWN) when the
//   sentinel and the others that answered "down" number at least `quorum`.
// - A sentinel that sees ODOWN, and did not try within 2 x failover_timeout, starts a failover:
//   a new epoch, a vote for itself, and vote requests to the others. Each sentinel gives one vote
//   per epoch, to the first that asks; voting for another blocks its own attempts for
//   2 x failover_timeout. A leader needs max(quorum, majority of all sentinels) votes; one not
//   elected within min(10 s, failover_timeout) gives up.
// - Each decision waits for the sentinel's timer tick: ODOWN and the leader count are checked at
//   the tick after the answers arrive, and the elected leader's failover state machine moves one
//   state per tick (select the replica, then send it REPLICAOF NO ONE; Redis's
//   sentinelFailoverStateMachine). The decision is the election; the coordinator then promotes
//   the replica by the leader's command, sent command_delay() later from the leader's geo.
// - A node whose process is killed on a live host resets its connections: each sentinel learns it
//   after the one-way latency, reconnects at its next tick and pings at once, and that unanswered
//   ping starts the down_after clock (sentinelReconnectInstance). A lost host is a silence: the
//   clock starts at the next scheduled ping, up to a ping period after the crash.
// - Slaves: the SLB of a slave follows the sentinel in the slave's geo (else the first sentinel
//   listed), as a client that asks its nearest sentinel for the replicas does.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Sentinels : public FailureDetector {
 public:
  Sentinels(Simulation& sim, Network& network, const SentinelSpec& spec, std::uint64_t seed,
            Listener& listener);

  void start() override;
  bool declared_down(std::uint32_t watch) const override;
  GeoId decision_geo(std::uint32_t watch) const override { return spec_.geos[decided_by_[watch]]; }
  Duration detection_horizon() const override;
  // The leader polls the replicas' INFO every second from ODOWN on (the first poll at once): it
  // sees the new role in the reply to the first poll that reaches the replica after it took over.
  Duration observation_delay(std::uint32_t watch, GeoId promoted_geo) override;
  std::uint64_t messages_sent() const override { return messages_; }
  Promotion promotion() const override { return Promotion::kCommandFromDecisionGeo; }
  // The leader aborts its failover (Redis: -failover-abort-*); a new attempt may start once the
  // retry gate (2 x failover_timeout after the last start) has passed.
  void promotion_failed(std::uint32_t watch) override;
  Time election_started(std::uint32_t watch) const override {
    return view(decided_by_[watch], watch).attempt_at;
  }
  void on_connections_reset(std::uint32_t watch) override;
  Duration command_delay(std::uint32_t watch) override;

  std::uint32_t replica_priority(std::uint32_t watch) const override {
    return spec_.priority_of(name(watch));
  }
  std::uint32_t parallel_syncs() const override { return spec_.parallel_syncs; }
  // The leader's next tick; its next INFO poll of a replica (every second during a failover,
  // sentinelSendPeriodicCommands), at a phase of its own.
  Duration tick_wait(std::uint32_t watch) override { return tick_delay(decided_by_[watch]); }
  Duration poll_wait(std::uint32_t watch) override;
  Duration poll_period() const override;

  std::size_t sentinel_count() const { return spec_.geos.size(); }
  // Sentinel s's view: whether it sees the node subjectively down now.
  bool subjectively_down(std::uint32_t sentinel, std::uint32_t watch) const {
    return view(sentinel, watch).sdown;
  }

 private:
  static constexpr std::uint32_t kNobody = ~0u;

  // What one sentinel knows of one node.
  struct View {
    Time unanswered_since = kTimeNever;  // send time of the oldest ping not yet answered
    bool sdown = false;
    bool odown = false;
    bool in_progress = false;  // a failover attempt of this sentinel
    bool elected = false;
    std::uint64_t failover_epoch = 0;
    Time attempt_at = kTimeNever;  // when the current attempt began
    Time odown_at = kTimeNever;    // when this sentinel last saw the master objectively down
    Time may_start_at = 0;         // no new attempt before this (2 x failover_timeout after the last)
    std::uint32_t vote = kNobody;  // whom this sentinel voted for as leader of this node's failover
    std::uint64_t vote_epoch = 0;
  };
  // What sentinel s last heard from sentinel p about a node.
  struct Opinion {
    bool down = false;
    Time heard_at = kTimeNever;
    std::uint32_t vote = kNobody;
    std::uint64_t vote_epoch = 0;
  };
  // An is-master-down-by-addr question (and its answer, on the way back).
  struct Ask {
    std::uint32_t from = 0;
    std::uint32_t to = 0;
    std::uint32_t watch = 0;
    std::uint64_t epoch = 0;  // with a vote request; 0: a question only
    bool down = false;
    std::uint32_t vote = kNobody;
    std::uint64_t vote_epoch = 0;
  };
  struct Timers {
    Timers(Simulation& sim, Sentinels* sentinels);
    // sdown also runs the evaluation at the tick after answers arrive, once the node is SDOWN.
    Timer ping, sdown, ask, abort;
  };

  std::uint64_t slot(std::uint32_t sentinel, std::uint32_t watch) const {
    return static_cast<std::uint64_t>(sentinel) * watch_count() + watch;
  }
  std::uint32_t sentinel_of(std::uint64_t slot) const {
    return static_cast<std::uint32_t>(slot / watch_count());
  }
  std::uint32_t watch_of(std::uint64_t slot) const {
    return static_cast<std::uint32_t>(slot % watch_count());
  }
  View& view(std::uint32_t s, std::uint32_t w) { return views_[slot(s, w)]; }
  const View& view(std::uint32_t s, std::uint32_t w) const { return views_[slot(s, w)]; }
  Opinion& opinion(std::uint32_t s, std::uint32_t p, std::uint32_t w) {
    return opinions_[(static_cast<std::uint64_t>(s) * sentinel_count() + p) * watch_count() + w];
  }
  Duration ping_period() const { return std::min<Duration>(spec_.down_after, kSecond); }
  Duration tick_delay(std::uint32_t sentinel);   // from now to the sentinel's next tick
  Duration tick_period(std::uint32_t sentinel);  // one whole tick
  void send(GeoId from, GeoId to, Callback on_arrival, std::uint64_t arg);

  void ping_due(std::uint64_t slot);
  void ping_arrived(std::uint64_t slot);
  void pong_arrived(std::uint64_t slot);
  void sdown_due(std::uint64_t slot);
  void ask_due(std::uint64_t slot);
  void ask_peers(std::uint64_t slot, bool forced);
  void arm_retry(std::uint64_t slot);
  void ask_arrived(std::uint64_t ask);
  void answer_arrived(std::uint64_t ask);
  void abort_due(std::uint64_t slot);
  void connection_reset(std::uint64_t slot);
  void evaluate_at_next_tick(std::uint64_t slot);
  void evaluate(std::uint32_t s, std::uint32_t w);
  void start_failover(std::uint32_t s, std::uint32_t w);
  std::uint32_t votes_for(std::uint32_t s, std::uint32_t w);
  void vote(std::uint32_t voter, std::uint32_t w, std::uint32_t candidate, std::uint64_t epoch);
  std::uint64_t new_ask(const Ask& ask);
  void event(std::uint32_t s, std::uint32_t w, const char* what);

  Simulation& sim_;
  Network& network_;
  SentinelSpec spec_;
  std::vector<std::unique_ptr<RandomStream>> rng_;  // one per sentinel
  std::vector<View> views_;                         // by slot
  std::vector<Opinion> opinions_;                   // by (sentinel, peer, watch)
  std::deque<Timers> timers_;                       // by slot
  std::vector<std::uint64_t> current_epoch_;        // by sentinel
  std::vector<std::uint32_t> view_of_;              // by watch: the sentinel a slave's SLB follows
  std::vector<std::uint32_t> decided_by_;           // by watch: the sentinel that decided last
  std::vector<Ask> asks_;                           // in flight
  std::vector<std::uint64_t> free_asks_;
  std::uint64_t messages_ = 0;
};

}  // namespace shardsim
