// The election policy: MongoDB replica-set elections (protocol version 1, Raft-like), modelled
// message by message over the simulated network. docs/failover-policies.md gives the sources
// (src/mongo/db/repl/topology_coordinator.cpp and its neighbours), the formula for the time from a
// crash to the new primary, and what is simplified.
//
// Replica sets: the two global masters form one, and each shard's master and slaves form one.
// Each set also holds one arbiter (a voter without data) per entry of `election.arbiters`. At most
// 7 members of a set vote (MongoDB's limit): the arbiters, the set's first member (the master at
// start), then slaves taken one geo at a time; the others neither vote nor stand (priority 0).
//
// - Every member sends a heartbeat to every other member of its set every `heartbeat_interval`.
// - A secondary with priority > 0 runs an election timer of election_timeout plus a random offset
//   of up to 15% of it, reset whenever it hears from the primary: a heartbeat answer from it, or an
//   oplog batch (a replication batch reaching any of its copies). When the timer fires, the
//   secondary stands if it sees a majority of the voters up (heard within heartbeat_timeout).
// - It runs a dry run, then the real election in a new term: each voter grants its vote unless the
//   term is older than its own, it already voted in this term (real elections only), or the
//   candidate's optime is behind its own. An arbiter also refuses while it sees a healthy primary.
//   A candidate needs a majority of the voting members.
// - The winner catches up: it sends heartbeats to every member it sees up and waits for their
//   answers (or for their heartbeat timeout), then becomes primary. The failover coordinator
//   promotes it at once.
// - Slaves: a slave is off its SLB once the router in its geo has not heard from it for
//   heartbeat_timeout (a driver's server monitoring, at the set's heartbeat interval).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/failure/router_health_checks.h"
#include "shardsim/kernel/simulation.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class ReplicaSetElections : public FailureDetector {
 public:
  // MongoDB's limit on voting members (repl_set_config.h, kMaxVotingMembers).
  static constexpr std::uint32_t kMaxVoters = 7;

  ReplicaSetElections(Simulation& sim, Network& network, const ElectionSpec& spec, std::size_t geo_count,
                      std::uint64_t seed, Listener& listener);

  void start() override;
  bool declared_down(std::uint32_t watch) const override { return routers_.down(watch); }
  GeoId decision_geo(std::uint32_t watch) const override;
  Duration detection_horizon() const override;
  Duration observation_delay(std::uint32_t /*watch*/, GeoId /*promoted_geo*/) override { return 0; }
  std::uint64_t messages_sent() const override { return messages_ + routers_.messages_sent(); }
  Promotion promotion() const override { return Promotion::kBySuccessor; }
  std::optional<std::uint32_t> successor(std::uint32_t watch) const override;
  Time election_started(std::uint32_t watch) const override;

  // For tests and the docs: the members of the set `watch` belongs to, and how many vote.
  std::size_t set_count() const { return sets_.size(); }
  std::uint32_t voters_in_set_of(std::uint32_t watch) const;

 private:
  static constexpr std::uint32_t kArbiter = ~0u;

  struct Member {
    std::uint32_t set = 0;
    std::uint32_t watch = kArbiter;  // the watched node; kArbiter: an arbiter
    GeoId geo = 0;
    bool voter = false;
    double priority = 0;  // 0: never stands
    std::uint64_t term = 1;
    std::uint64_t voted_term = 0;
    Time primary_contact = 0;  // the last heartbeat answer from a primary of the current term
    // A candidacy: its round (to ignore answers to an earlier one), dry run or real, votes so far.
    std::uint64_t round = 0;
    bool dry_run = false;
    bool standing = false;
    std::uint32_t votes = 0;
    // The election timer runs in two stages (see election_due): the contact it counts from.
    Time timer_base = 0;
    bool offset_stage = false;
    bool told_no_majority = false;
    Time stood_at = kTimeNever;  // the start of its last candidacy (the dry run)
    // Catch-up after winning: heartbeat answers since this time are awaited.
    bool catching_up = false;
    Time catch_up_since = 0;
  };
  struct ReplicaSet {
    std::vector<std::uint32_t> members;  // member ids; the first is the master at start
    std::uint32_t voters = 0;
    std::uint32_t winner = kArbiter;  // the member id of the last election's winner
  };
  enum class Kind : std::uint8_t { kHeartbeat, kHeartbeatAnswer, kVoteRequest, kVote };
  struct Message {
    Kind kind = Kind::kHeartbeat;
    std::uint32_t from = 0, to = 0;  // member ids
    std::uint64_t term = 0;
    std::uint64_t round = 0;
    std::uint64_t position = 0;
    bool flag = false;  // heartbeat answer: the sender is primary; vote request: dry run; vote: granted
  };
  struct MemberTimers {
    MemberTimers(Simulation& sim, ReplicaSetElections* elections);
    Timer heartbeat, election, catch_up;
  };

  void build_sets();
  void add_member(std::uint32_t set, std::uint32_t watch, GeoId geo);
  void choose_voters(ReplicaSet& set);
  std::uint32_t majority(const ReplicaSet& set) const { return set.voters / 2 + 1; }
  bool alive(std::uint32_t member) const;
  bool is_primary(std::uint32_t member) const;
  std::uint64_t position(std::uint32_t member) const;
  Time last_batch(std::uint32_t member) const;
  Time& heard(std::uint32_t member, std::uint32_t peer);
  bool sees_up(std::uint32_t member, std::uint32_t peer);
  bool sees_healthy_primary(std::uint32_t member);
  bool sees_majority(std::uint32_t member);
  Duration election_delay();
  void send(const Message& message);

  void heartbeat_due(std::uint64_t member);
  void message_arrived(std::uint64_t message);
  void message_dropped(std::uint64_t message);
  void heartbeat_arrived(const Message& m);
  void heartbeat_answered(const Message& m);
  void election_due(std::uint64_t member);
  void request_votes(std::uint32_t candidate, bool dry_run);
  void vote_requested(const Message& m);
  void vote_arrived(const Message& m);
  void won(std::uint32_t winner);
  void catch_up_done(std::uint64_t member);
  void observe_term(std::uint32_t member, std::uint64_t term);

  void router_changed(std::uint32_t watch, bool down);

  Simulation& sim_;
  Network& network_;
  ElectionSpec spec_;
  std::size_t geo_count_;
  RandomStream rng_;
  std::vector<Member> members_;
  std::vector<ReplicaSet> sets_;
  std::vector<std::uint32_t> member_of_;     // by watch
  std::vector<std::uint32_t> index_in_set_;  // by member: its place in its set's member list
  std::vector<std::vector<Time>> heard_;     // by member, by place in set: last answer heard
  std::deque<MemberTimers> timers_;          // by member
  RouterHealthChecks routers_;               // a driver's monitoring of each watched node, by watch
  std::vector<Message> messages_in_flight_;
  std::vector<std::uint64_t> free_messages_;
  std::uint64_t messages_ = 0;
};

}  // namespace shardsim
