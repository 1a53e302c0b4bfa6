#include "shardsim/failure/replica_set_elections.h"

#include <algorithm>
#include <string>

namespace shardsim {

namespace {
constexpr std::uint64_t kMessageBytes = 128;
// replElectionTimeoutOffsetLimitFraction (src/mongo/db/repl/repl_settings.idl): the random offset
// added to the election timeout is below this share of it.
constexpr double kElectionOffsetLimit = 0.15;
}  // namespace

ReplicaSetElections::MemberTimers::MemberTimers(Simulation& sim, ReplicaSetElections* elections)
    : heartbeat(sim, Callback::to<&ReplicaSetElections::heartbeat_due>(elections)),
      election(sim, Callback::to<&ReplicaSetElections::election_due>(elections)),
      catch_up(sim, Callback::to<&ReplicaSetElections::catch_up_done>(elections)) {}

ReplicaSetElections::ReplicaSetElections(Simulation& sim, Network& network, const ElectionSpec& spec,
                                         std::size_t geo_count, std::uint64_t seed, Listener& listener)
    : FailureDetector(listener),
      sim_(sim),
      network_(network),
      spec_(spec),
      geo_count_(geo_count),
      rng_(seed, "failover/election"),
      routers_(sim, network, spec.heartbeat_interval, spec.heartbeat_timeout, seed,
               [this](std::uint32_t watch, bool down) { router_changed(watch, down); }) {}

// ---- Sets and voters ----

void ReplicaSetElections::add_member(std::uint32_t set, std::uint32_t watch, GeoId geo) {
  Member m;
  m.set = set;
  m.watch = watch;
  m.geo = geo;
  index_in_set_.push_back(static_cast<std::uint32_t>(sets_[set].members.size()));
  sets_[set].members.push_back(static_cast<std::uint32_t>(members_.size()));
  members_.push_back(m);
}

void ReplicaSetElections::build_sets() {
  // The global masters have no replica of their own (they hold every shard); a shard's master and
  // slaves are replicas of the shard. Watch order puts each set's master at start first.
  for (std::uint32_t w = 0; w < watch_count(); ++w) {
    const std::uint32_t set = watched(w).replica == nullptr ? 0 : watched(w).replica->shard() + 1;
    if (set >= sets_.size()) sets_.resize(set + 1);
    member_of_.push_back(static_cast<std::uint32_t>(members_.size()));
    add_member(set, w, geo(w));
  }
  for (std::uint32_t set = 0; set < sets_.size(); ++set) {
    for (const GeoId geo : spec_.arbiters) add_member(set, kArbiter, geo);
    choose_voters(sets_[set]);
  }
}

// The arbiters and the master at start vote; then one data member per geo in turn, in watch order
// within a geo, until the set has MongoDB's 7 voters. Non-voters must have priority 0.
void ReplicaSetElections::choose_voters(ReplicaSet& set) {
  std::vector<std::vector<std::uint32_t>> by_geo(geo_count_);
  for (const std::uint32_t id : set.members) {
    Member& m = members_[id];
    if (m.watch == kArbiter || id == set.members.front()) {
      m.voter = true;
      ++set.voters;
    } else {
      by_geo[m.geo].push_back(id);
    }
  }
  for (std::size_t round = 0; set.voters < kMaxVoters; ++round) {
    bool any = false;
    for (auto& geo : by_geo) {
      if (round >= geo.size() || set.voters >= kMaxVoters) continue;
      members_[geo[round]].voter = true;
      ++set.voters;
      any = true;
    }
    if (!any) break;
  }
  const GeoId home = members_[set.members.front()].geo;
  for (const std::uint32_t id : set.members) {
    Member& m = members_[id];
    m.priority = m.voter && m.watch != kArbiter ? spec_.priority(m.geo) : 0;
    if (spec_.same_geo_only && m.geo != home) m.priority = 0;
  }
}

std::uint32_t ReplicaSetElections::voters_in_set_of(std::uint32_t watch) const {
  return sets_[members_[member_of_[watch]].set].voters;
}

void ReplicaSetElections::start() {
  build_sets();
  heard_.resize(members_.size());
  for (std::uint32_t id = 0; id < members_.size(); ++id) {
    // Every member starts as if it had just heard from everyone.
    heard_[id].assign(sets_[members_[id].set].members.size(), 0);
    timers_.emplace_back(sim_, this);
    const auto phase =
        static_cast<Duration>(rng_.next_below(static_cast<std::uint64_t>(spec_.heartbeat_interval)));
    timers_.back().heartbeat.arm_in(phase, id);
    if (members_[id].priority > 0) timers_.back().election.arm_in(spec_.election_timeout, id);
  }
  for (std::uint32_t w = 0; w < watch_count(); ++w)
    routers_.add({geo(w), [this, w] { return watched(w).alive(); }});
  routers_.start();
}

GeoId ReplicaSetElections::decision_geo(std::uint32_t watch) const {
  // A master is replaced by the winner, which tells the routers; a slave is judged in its geo.
  const ReplicaSet& set = sets_[members_[member_of_[watch]].set];
  if (set.winner != kArbiter && listener().is_master(watch)) return members_[set.winner].geo;
  return geo(watch);
}

Time ReplicaSetElections::election_started(std::uint32_t watch) const {
  const ReplicaSet& set = sets_[members_[member_of_[watch]].set];
  return set.winner == kArbiter ? kTimeNever : members_[set.winner].stood_at;
}

std::optional<std::uint32_t> ReplicaSetElections::successor(std::uint32_t watch) const {
  const ReplicaSet& set = sets_[members_[member_of_[watch]].set];
  if (set.winner == kArbiter) return std::nullopt;
  return members_[set.winner].watch;
}

Duration ReplicaSetElections::detection_horizon() const {
  // The election timer with its largest offset from the last contact, a heartbeat period before the
  // crash; one failed election and its timer again; the catch-up's wait for a heartbeat timeout.
  const auto timer =
      static_cast<Duration>(static_cast<double>(spec_.election_timeout) * (1 + kElectionOffsetLimit));
  return 2 * timer + spec_.heartbeat_interval + spec_.heartbeat_timeout;
}

// ---- What a member knows ----

bool ReplicaSetElections::alive(std::uint32_t member) const {
  const Member& m = members_[member];
  return m.watch == kArbiter || watched(m.watch).alive();
}

bool ReplicaSetElections::is_primary(std::uint32_t member) const {
  const Member& m = members_[member];
  return m.watch != kArbiter && listener().is_master(m.watch);
}

std::uint64_t ReplicaSetElections::position(std::uint32_t member) const {
  const Member& m = members_[member];
  return m.watch == kArbiter ? 0 : listener().replication_position(m.watch);
}

Time ReplicaSetElections::last_batch(std::uint32_t member) const {
  const Member& m = members_[member];
  Time last = 0;
  if (m.watch == kArbiter) return last;
  for (const Replica* copy : watched(m.watch).copies) {
    if (copy->last_batch_at() != kTimeNever) last = std::max(last, copy->last_batch_at());
  }
  return last;
}

Time& ReplicaSetElections::heard(std::uint32_t member, std::uint32_t peer) {
  return heard_[member][index_in_set_[peer]];
}

bool ReplicaSetElections::sees_up(std::uint32_t member, std::uint32_t peer) {
  return member == peer || heard(member, peer) + spec_.heartbeat_timeout > sim_.now();
}

bool ReplicaSetElections::sees_healthy_primary(std::uint32_t member) {
  return members_[member].primary_contact + spec_.heartbeat_timeout > sim_.now() &&
         members_[member].primary_contact > 0;
}

bool ReplicaSetElections::sees_majority(std::uint32_t member) {
  const ReplicaSet& set = sets_[members_[member].set];
  std::uint32_t up = 0;
  for (const std::uint32_t peer : set.members) {
    if (members_[peer].voter && sees_up(member, peer)) ++up;
  }
  return up >= majority(set);
}

void ReplicaSetElections::observe_term(std::uint32_t member, std::uint64_t term) {
  Member& m = members_[member];
  if (term <= m.term) return;
  m.term = term;
  m.standing = false;  // a candidate that learns of a newer term stops (kStaleTerm)
  if (m.catching_up) {
    // A winner still catching up steps down: a newer election has begun.
    m.catching_up = false;
    timers_[member].catch_up.cancel();
    listener().on_detector_event(sim_.now(), "stepped_down", name(m.watch), "term " + std::to_string(term));
  }
}

void ReplicaSetElections::send(const Message& message) {
  ++messages_;
  std::uint64_t slot;
  if (free_messages_.empty()) {
    slot = messages_in_flight_.size();
    messages_in_flight_.push_back(message);
  } else {
    slot = free_messages_.back();
    free_messages_.pop_back();
    messages_in_flight_[slot] = message;
  }
  network_.send(members_[message.from].geo, members_[message.to].geo, kMessageBytes,
                Callback::to<&ReplicaSetElections::message_arrived>(this), slot,
                Callback::to<&ReplicaSetElections::message_dropped>(this));
}

void ReplicaSetElections::message_dropped(std::uint64_t slot) {
  free_messages_.push_back(slot);
}

void ReplicaSetElections::message_arrived(std::uint64_t slot) {
  const Message m = messages_in_flight_[slot];
  free_messages_.push_back(slot);
  if (!alive(m.to)) return;  // a crashed member answers nothing
  switch (m.kind) {
    case Kind::kHeartbeat:
      heartbeat_arrived(m);
      break;
    case Kind::kHeartbeatAnswer:
      heartbeat_answered(m);
      break;
    case Kind::kVoteRequest:
      vote_requested(m);
      break;
    case Kind::kVote:
      vote_arrived(m);
      break;
  }
}

// ---- Heartbeats ----

void ReplicaSetElections::heartbeat_due(std::uint64_t member) {
  const auto id = static_cast<std::uint32_t>(member);
  timers_[id].heartbeat.arm_in(spec_.heartbeat_interval, member);
  if (!alive(id)) return;
  for (const std::uint32_t peer : sets_[members_[id].set].members) {
    if (peer != id) send(Message{Kind::kHeartbeat, id, peer, members_[id].term, 0, 0, false});
  }
}

void ReplicaSetElections::heartbeat_arrived(const Message& m) {
  heard(m.to, m.from) = sim_.now();  // a request counts as contact too (updateLiveness)
  observe_term(m.to, m.term);
  const Member& self = members_[m.to];
  send(Message{Kind::kHeartbeatAnswer, m.to, m.from, self.term, 0, position(m.to), is_primary(m.to)});
}

void ReplicaSetElections::heartbeat_answered(const Message& m) {
  Member& self = members_[m.to];
  heard(m.to, m.from) = sim_.now();
  observe_term(m.to, m.term);
  // An answer from a primary of the current term pushes the election timer back.
  if (m.flag && m.term >= self.term) self.primary_contact = sim_.now();
  if (self.catching_up) catch_up_done(m.to);
}

// ---- Elections ----

Duration ReplicaSetElections::election_delay() {
  const auto limit =
      static_cast<std::uint64_t>(static_cast<double>(spec_.election_timeout) * kElectionOffsetLimit);
  return static_cast<Duration>(rng_.next_below(std::max<std::uint64_t>(limit, 1)));
}

// The timer counts from the last contact with the primary: MongoDB re-arms it at every contact to
// election_timeout plus a fresh offset. Re-arming at every heartbeat and oplog batch would cost an
// event each, so it runs in two stages instead: at base + election_timeout it checks for a later
// contact (and waits from that one); if there is none, it draws the offset and waits that long,
// then checks again. The result is the same: it fires an offset after election_timeout past the
// last contact, with an offset drawn once for that contact.
void ReplicaSetElections::election_due(std::uint64_t member) {
  const auto id = static_cast<std::uint32_t>(member);
  Member& self = members_[id];
  const Time contact = std::max({self.timer_base, self.primary_contact, last_batch(id)});
  if (contact > self.timer_base) {
    self.timer_base = contact;
    self.offset_stage = false;
    timers_[id].election.arm_at(std::max(sim_.now(), contact + spec_.election_timeout), member);
    return;
  }
  if (!self.offset_stage) {
    self.offset_stage = true;
    timers_[id].election.arm_in(election_delay(), member);
    return;
  }
  // Restart the timer whatever happens: a failed election tries again a timeout later.
  self.offset_stage = false;
  self.timer_base = sim_.now();
  timers_[id].election.arm_in(spec_.election_timeout, member);
  if (!alive(id) || is_primary(id) || self.catching_up) return;
  if (!sees_majority(id)) {
    // Said once per stretch without a majority, so that a set that can never elect (two voters,
    // one down) shows why on the failure timeline.
    if (!self.told_no_majority) {
      listener().on_detector_event(sim_.now(), "cannot_see_majority", name(self.watch), "does not stand");
    }
    self.told_no_majority = true;
    return;
  }
  self.told_no_majority = false;
  listener().on_detector_event(sim_.now(), "election_started", name(self.watch),
                               "term " + std::to_string(self.term + 1));
  self.stood_at = sim_.now();
  request_votes(id, true);
}

void ReplicaSetElections::request_votes(std::uint32_t candidate, bool dry_run) {
  Member& self = members_[candidate];
  self.standing = true;
  self.dry_run = dry_run;
  ++self.round;
  self.votes = 1;  // its own
  const std::uint64_t term = dry_run ? self.term + 1 : self.term;
  for (const std::uint32_t peer : sets_[self.set].members) {
    if (peer != candidate && members_[peer].voter) {
      send(Message{Kind::kVoteRequest, candidate, peer, term, self.round, position(candidate), dry_run});
    }
  }
  if (self.votes >= majority(sets_[self.set]))
    vote_arrived(Message{Kind::kVote, candidate, candidate, term, self.round, 0, false});
}

// TopologyCoordinator::processReplSetRequestVotes: the checks a voter makes, in its order.
void ReplicaSetElections::vote_requested(const Message& m) {
  Member& voter = members_[m.to];
  const bool dry_run = m.flag;
  bool grant = m.term >= voter.term;
  if (grant && !dry_run) {
    observe_term(m.to, m.term);
    grant = voter.voted_term < m.term;
  }
  grant = grant && position(m.to) <= m.position;
  if (voter.watch == kArbiter) grant = grant && !sees_healthy_primary(m.to);
  if (grant && !dry_run) voter.voted_term = m.term;
  send(Message{Kind::kVote, m.to, m.from, voter.term, m.round, 0, grant});
}

void ReplicaSetElections::vote_arrived(const Message& m) {
  Member& self = members_[m.to];
  if (m.from != m.to) {
    if (!m.flag) observe_term(m.to, m.term);
    if (!self.standing || m.round != self.round || !m.flag) return;
    ++self.votes;
  }
  if (!self.standing || self.votes != majority(sets_[self.set])) return;
  if (self.dry_run) {
    self.term += 1;
    self.voted_term = self.term;
    request_votes(m.to, false);
    return;
  }
  won(m.to);
}

void ReplicaSetElections::won(std::uint32_t winner) {
  Member& self = members_[winner];
  self.standing = false;
  self.catching_up = true;
  self.catch_up_since = sim_.now();
  listener().on_detector_event(sim_.now(), "elected", name(self.watch), "term " + std::to_string(self.term));
  // Catch-up: heartbeats to everyone, to learn the newest optime.
  for (const std::uint32_t peer : sets_[self.set].members) {
    if (peer != winner) send(Message{Kind::kHeartbeat, winner, peer, self.term, 0, 0, false});
  }
  catch_up_done(winner);
}

// Done once every member the winner sees up has answered since the catch-up began; a member that
// does not answer stops being waited for at its heartbeat timeout.
void ReplicaSetElections::catch_up_done(std::uint64_t member) {
  const auto id = static_cast<std::uint32_t>(member);
  Member& self = members_[id];
  if (!self.catching_up) return;
  Time next_timeout = kTimeNever;
  for (const std::uint32_t peer : sets_[self.set].members) {
    if (peer == id) continue;
    const Time last = heard(id, peer);
    if (last >= self.catch_up_since || last + spec_.heartbeat_timeout <= sim_.now()) continue;
    next_timeout = std::min(next_timeout, last + spec_.heartbeat_timeout);
  }
  if (next_timeout != kTimeNever) {
    timers_[id].catch_up.arm_at(next_timeout, member);
    return;
  }
  self.catching_up = false;
  timers_[id].catch_up.cancel();
  if (!alive(id) || is_primary(id)) return;
  ReplicaSet& set = sets_[self.set];
  for (const std::uint32_t peer : set.members) {
    if (is_primary(peer)) {
      set.winner = id;
      listener().on_detector_event(sim_.now(), "caught_up", name(self.watch),
                                   "term " + std::to_string(self.term));
      listener().on_declared_down(members_[peer].watch, sim_.now());
      return;
    }
  }
}

// ---- Routers' monitoring of each node ----

void ReplicaSetElections::router_changed(std::uint32_t watch, bool down) {
  if (!down) {
    listener().on_declared_up(watch, sim_.now());
    return;
  }
  // A master is replaced by an election, not by its router's view.
  if (!listener().is_master(watch)) listener().on_declared_down(watch, sim_.now());
}

}  // namespace shardsim
