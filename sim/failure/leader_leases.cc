#include "shardsim/failure/leader_leases.h"

#include <string>

namespace shardsim {

namespace {
constexpr std::uint64_t kMessageBytes = 256;
// Patroni's REST calls to the other members during a leader race (fetch_node_status: timeout=2).
constexpr Duration kMemberStatusTimeout = 2 * kSecond;
}  // namespace

LeaderLeases::LeaderLeases(Simulation& sim, Network& network, const LeaseSpec& spec, std::uint64_t seed,
                           Listener& listener)
    : FailureDetector(listener),
      sim_(sim),
      network_(network),
      spec_(spec),
      rng_(seed, "failover/lease"),
      routers_(sim, network, kProxyCheckInterval, kProxyCheckSilence, seed,
               [this](std::uint32_t watch, bool down) { router_changed(watch, down); }) {}

void LeaderLeases::start() {
  for (std::uint32_t w = 0; w < watch_count(); ++w) {
    // The sets of the election policy: the global masters, then one per shard.
    const std::uint32_t set = watched(w).replica == nullptr ? 0 : watched(w).replica->shard() + 1;
    if (set >= clusters_.size()) clusters_.resize(set + 1);
    Agent agent;
    agent.set = set;
    agent.watch = w;
    agent.priority = spec_.priority(geo(w));
    if (spec_.same_geo_only && !clusters_[set].agents.empty() && geo(clusters_[set].agents.front()) != geo(w))
      agent.priority = 0;
    clusters_[set].agents.push_back(w);
    agents_.push_back(agent);
  }
  for (std::uint32_t c = 0; c < clusters_.size(); ++c) {
    // The master at start holds its key as if it had just taken it.
    Cluster& cluster = clusters_[c];
    for (const std::uint32_t a : cluster.agents) {
      if (is_primary(a)) {
        cluster.holder = a;
        agents_[a].holds_key = true;
      }
    }
    cluster.expires_at = spec_.ttl;
    expiry_.emplace_back(sim_, Callback::to<&LeaderLeases::expiry_due>(this));
    expiry_.back().arm_at(cluster.expires_at, c);
  }
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    loops_.emplace_back(sim_, Callback::to<&LeaderLeases::loop_due>(this));
    loops_.back().arm_in(static_cast<Duration>(rng_.next_below(static_cast<std::uint64_t>(spec_.loop_wait))),
                         a);
    routers_.add({geo(a), [this, a] { return watched(a).alive(); }});
  }
  routers_.start();
}

GeoId LeaderLeases::decision_geo(std::uint32_t watch) const {
  // A master is replaced by the agent that took its key, which tells the routers; a slave is
  // judged in its geo.
  const Cluster& cluster = clusters_[agents_[watch].set];
  if (cluster.winner != kNobody && listener().is_master(watch)) return geo(cluster.winner);
  return geo(watch);
}

std::optional<std::uint32_t> LeaderLeases::successor(std::uint32_t watch) const {
  const Cluster& cluster = clusters_[agents_[watch].set];
  if (cluster.winner == kNobody) return std::nullopt;
  return cluster.winner;
}

Duration LeaderLeases::detection_horizon() const {
  // The key lives ttl from a renewal up to a loop before the crash; its expiry commits, the race
  // waits for the REST answers, and the acquisition commits (within retry_timeout).
  return spec_.ttl + spec_.loop_wait + kMemberStatusTimeout + spec_.retry_timeout;
}

void LeaderLeases::event(std::uint32_t agent, const char* what, std::string detail) {
  listener().on_detector_event(sim_.now(), what, name(agents_[agent].watch), std::move(detail));
}

// ---- Messages ----

GeoId LeaderLeases::geo_of(const Message& m, bool destination) const {
  const std::uint32_t end = destination ? m.to : m.from;
  const bool store_end =
      destination ? (m.kind == Kind::kRequest || m.kind == Kind::kAppend || m.kind == Kind::kAppendAck)
                  : (m.kind == Kind::kAppend || m.kind == Kind::kAppendAck || m.kind == Kind::kReply ||
                     m.kind == Kind::kNotify);
  return store_end ? spec_.store_geos[end] : geo(agents_[end].watch);
}

void LeaderLeases::send(const Message& message) {
  std::uint64_t slot;
  if (free_messages_.empty()) {
    slot = in_flight_.size();
    in_flight_.push_back(message);
  } else {
    slot = free_messages_.back();
    free_messages_.pop_back();
    in_flight_[slot] = message;
  }
  resend(slot);
}

void LeaderLeases::resend(std::uint64_t slot) {
  const Message& m = in_flight_[slot];
  ++messages_;
  network_.send(geo_of(m, false), geo_of(m, true), kMessageBytes, Callback::to<&LeaderLeases::arrived>(this),
                slot, Callback::to<&LeaderLeases::lost>(this));
}

// A dropped message: the store retries an expiry until it commits, and a client's request until
// the client gives up at its retry_timeout; a watch notification or a REST call is not retried.
void LeaderLeases::lost(std::uint64_t slot) {
  const Message& m = in_flight_[slot];
  bool again = false;
  switch (m.kind) {
    case Kind::kAppend:
    case Kind::kAppendAck:
      again = live(m.op) != nullptr && !live(m.op)->committed;
      break;
    case Kind::kRequest:
    case Kind::kReply:
      again = live(m.op) != nullptr && !live(m.op)->settled;
      break;
    default:
      break;
  }
  if (again) {
    resend(slot);
  } else {
    free_messages_.push_back(slot);
  }
}

void LeaderLeases::arrived(std::uint64_t slot) {
  const Message m = in_flight_[slot];
  free_messages_.push_back(slot);
  switch (m.kind) {
    case Kind::kRequest:
      store_received(m.op);
      return;
    case Kind::kAppend:  // a follower of the store appends and acknowledges
      send(Message{Kind::kAppendAck, m.op, m.to, 0});
      return;
    case Kind::kAppendAck:
      append_acknowledged(m.op);
      return;
    default:
      break;
  }
  if (!alive(m.to)) return;  // a crashed member's agent hears nothing
  switch (m.kind) {
    case Kind::kReply:
      replied(m);
      break;
    case Kind::kNotify:
      notified(m);
      break;
    case Kind::kStatusQuery:
      status_queried(m);
      break;
    case Kind::kStatusAnswer:
      status_answered(m);
      break;
    default:
      break;
  }
}

// ---- The agents' HA loop ----

void LeaderLeases::loop_due(std::uint64_t agent) {
  const auto a = static_cast<std::uint32_t>(agent);
  loops_[a].arm_in(spec_.loop_wait, agent);
  if (!alive(a)) return;
  // A primary renews its key (even a demoted one: the key may still be its own); the others read it.
  const OpKind kind = is_primary(a) ? OpKind::kRenew : OpKind::kRead;
  request(new_op(Op{kind, a, position(a), 0, false, false}));
}

// An op's handle is its slot and the slot's generation: a slot is reused once its op is done, and
// messages or deadlines still naming the old op find a newer generation and are ignored.
std::uint64_t LeaderLeases::new_op(const Op& op) {
  std::uint32_t slot;
  if (free_ops_.empty()) {
    slot = static_cast<std::uint32_t>(ops_.size());
    ops_.push_back(op);
  } else {
    slot = free_ops_.back();
    free_ops_.pop_back();
    const std::uint32_t generation = ops_[slot].generation;
    ops_[slot] = op;
    ops_[slot].generation = generation;
  }
  return (static_cast<std::uint64_t>(ops_[slot].generation) << 32) | slot;
}

LeaderLeases::Op* LeaderLeases::live(std::uint64_t handle) {
  Op& o = ops_[static_cast<std::uint32_t>(handle)];
  return o.generation == (handle >> 32) ? &o : nullptr;
}

void LeaderLeases::free_op(std::uint64_t handle) {
  const auto slot = static_cast<std::uint32_t>(handle);
  ++ops_[slot].generation;
  free_ops_.push_back(slot);
}

void LeaderLeases::request(std::uint64_t op) {
  send(Message{Kind::kRequest, op, live(op)->agent, 0});
  sim_.schedule_in(spec_.retry_timeout, Callback::to<&LeaderLeases::op_deadline>(this), op);
}

// A client op is done once settled: a late commit of it is dropped (see commit), so nothing more
// needs it.
void LeaderLeases::op_deadline(std::uint64_t op) {
  Op* o = live(op);
  if (o == nullptr || o->settled) return;
  o->settled = true;
  const bool renewal = o->kind == OpKind::kRenew;
  const std::uint32_t agent = o->agent;
  free_op(op);
  if (renewal && alive(agent)) renewal_failed(agent);
}

// ---- The store ----

void LeaderLeases::store_received(std::uint64_t op) {
  Op* o = live(op);
  if (o == nullptr) return;
  if (o->kind == OpKind::kRead) {  // a read needs no consensus
    commit(op);
    return;
  }
  o->acks = 1;  // the leader's own copy
  if (o->acks >= store_quorum()) {
    commit(op);
    return;
  }
  for (std::uint32_t node = 1; node < spec_.store_geos.size(); ++node)
    send(Message{Kind::kAppend, op, 0, node});
}

void LeaderLeases::append_acknowledged(std::uint64_t op) {
  Op* o = live(op);
  if (o == nullptr || o->committed) return;
  if (++o->acks >= store_quorum()) commit(op);
}

// A client's write that has not committed when the client gives up is dropped: etcd fails a
// proposal that finds no quorum (its leader steps down) instead of keeping it for later.
void LeaderLeases::commit(std::uint64_t op) {
  Op* live_op = live(op);
  if (live_op == nullptr || live_op->committed) return;
  Op& o = *live_op;
  o.committed = true;
  if (o.kind == OpKind::kExpire) {
    const std::uint32_t c = o.agent;
    free_op(op);
    Cluster& cluster = clusters_[c];
    if (cluster.holder != kNobody && cluster.expires_at <= sim_.now()) {
      cluster.holder = kNobody;
      cluster.expired_at = sim_.now();
      notify_cluster(c);
    }
    return;
  }
  Cluster& cluster = cluster_of(o.agent);
  bool success = false;
  if (o.kind == OpKind::kRenew && cluster.holder == o.agent) {
    success = true;
    cluster.published_position = o.position;
  } else if (o.kind == OpKind::kAcquire && cluster.holder == kNobody) {
    success = true;
    cluster.holder = o.agent;
  }
  if (success) {
    cluster.expires_at = sim_.now() + spec_.ttl;
    expiry_[agents_[o.agent].set].arm_at(cluster.expires_at, agents_[o.agent].set);
  }
  if (o.kind == OpKind::kAcquire && success) notify_cluster(agents_[o.agent].set);
  Message reply{Kind::kReply, op, 0, o.agent};
  reply.flag = o.kind == OpKind::kRead || success;
  reply.holder = cluster.holder;
  send(reply);
}

// The store's leader revokes an expired key: a write like any other, so a store without a majority
// lets nothing expire.
void LeaderLeases::expiry_due(std::uint64_t cluster) {
  Op expire;
  expire.kind = OpKind::kExpire;
  expire.agent = static_cast<std::uint32_t>(cluster);
  expire.settled = true;
  store_received(new_op(expire));
}

void LeaderLeases::notify_cluster(std::uint32_t c) {
  for (const std::uint32_t a : clusters_[c].agents) {
    Message note{Kind::kNotify, 0, 0, a};
    note.holder = clusters_[c].holder;
    send(note);
  }
}

// ---- Agents hear back ----

void LeaderLeases::replied(const Message& m) {
  Op* o = live(m.op);
  if (o == nullptr || o->settled) return;
  const OpKind kind = o->kind;
  free_op(m.op);
  Agent& agent = agents_[m.to];
  switch (kind) {
    case OpKind::kRenew:
      if (!m.flag) {
        renewal_failed(m.to);
        if (m.holder == kNobody) race(m.to);
        return;
      }
      agent.holds_key = true;
      if (agent.demoted && is_primary(m.to)) {
        agent.demoted = false;
        event(m.to, "lease_renewed", "writes resume");
        listener().on_master_reinstated(agent.watch, sim_.now());
      }
      return;
    case OpKind::kAcquire:
      if (m.flag) took_key(m.to);
      return;
    case OpKind::kRead:
      if (m.holder == m.to && !agent.holds_key) took_key(m.to);  // an acquisition that answered late
      if (m.holder == kNobody) race(m.to);
      return;
    case OpKind::kExpire:
      return;
  }
}

void LeaderLeases::notified(const Message& m) {
  if (m.holder == kNobody) {
    race(m.to);  // the watch wakes the agent at once
  } else if (m.holder != m.to) {
    agents_[m.to].holds_key = false;
  }
}

// Patroni demotes a leader whose key update failed or timed out (ha.py: demote('immediate-nolock')
// or, on a store error, demote('offline')): it restarts read-only.
void LeaderLeases::renewal_failed(std::uint32_t a) {
  Agent& agent = agents_[a];
  agent.holds_key = false;
  if (!is_primary(a) || agent.demoted) return;
  agent.demoted = true;
  event(a, "demoted", "lost the leader key");
  listener().on_master_demoted(agent.watch, sim_.now());
}

// ---- The leader race ----

void LeaderLeases::race(std::uint32_t a) {
  Agent& agent = agents_[a];
  if (!alive(a) || agent.racing || agent.priority <= 0 || (is_primary(a) && !agent.demoted)) return;
  const Cluster& cluster = cluster_of(a);
  const std::uint64_t mine = position(a);
  const std::uint64_t behind = cluster.published_position > mine ? cluster.published_position - mine : 0;
  if (behind * spec_.entry_bytes > spec_.maximum_lag_on_failover_bytes) return;  // is_lagging
  agent.racing = true;
  agent.healthiest = true;
  ++agent.race;
  agent.awaited = 0;
  for (const std::uint32_t peer : cluster.agents) {
    if (peer == a) continue;
    ++agent.awaited;
    Message query{Kind::kStatusQuery, 0, a, peer};
    query.round = agent.race;
    send(query);
  }
  if (agent.awaited == 0) {
    finish_race(a);
    return;
  }
  sim_.schedule_in(kMemberStatusTimeout, Callback::to<&LeaderLeases::race_timeout>(this),
                   (agent.race << 32) | a);
}

void LeaderLeases::status_queried(const Message& m) {
  Message answer{Kind::kStatusAnswer, 0, m.to, m.from};
  answer.round = m.round;
  answer.position = position(m.to);
  answer.flag = is_primary(m.to) && !agents_[m.to].demoted;
  answer.priority = agents_[m.to].priority;
  send(answer);
}

// _is_healthiest_node: a reachable member that is still primary, is ahead, or is level with a
// higher failover priority wins over this one.
void LeaderLeases::status_answered(const Message& m) {
  Agent& agent = agents_[m.to];
  if (!agent.racing || m.round != agent.race) return;
  const std::uint64_t mine = position(m.to);
  if (m.flag || m.position > mine || (m.position == mine && m.priority > agent.priority))
    agent.healthiest = false;
  if (--agent.awaited == 0) finish_race(m.to);
}

void LeaderLeases::race_timeout(std::uint64_t agent_and_race) {
  const auto a = static_cast<std::uint32_t>(agent_and_race & 0xffffffff);
  if (agents_[a].racing && agents_[a].race == (agent_and_race >> 32)) finish_race(a);
}

void LeaderLeases::finish_race(std::uint32_t a) {
  Agent& agent = agents_[a];
  agent.racing = false;
  if (!agent.healthiest || !alive(a)) return;
  event(a, "leader_race", "takes part");
  request(new_op(Op{OpKind::kAcquire, a, position(a), 0, false, false}));
}

void LeaderLeases::took_key(std::uint32_t a) {
  Agent& agent = agents_[a];
  agent.holds_key = true;
  Cluster& cluster = cluster_of(a);
  event(a, "acquired_key");
  if (is_primary(a)) {  // a demoted leader took its own key back
    if (agent.demoted) {
      agent.demoted = false;
      listener().on_master_reinstated(agent.watch, sim_.now());
    }
    return;
  }
  for (const std::uint32_t peer : cluster.agents) {
    if (peer != a && is_primary(peer)) {
      cluster.winner = a;
      agents_[peer].demoted = false;
      listener().on_declared_down(agents_[peer].watch, sim_.now());
      return;
    }
  }
}

// ---- HAProxy's checks ----

void LeaderLeases::router_changed(std::uint32_t watch, bool down) {
  if (!down) {
    listener().on_declared_up(watch, sim_.now());
    return;
  }
  // A master is replaced through its key, not by the checks.
  if (!listener().is_master(watch)) listener().on_declared_down(watch, sim_.now());
}

}  // namespace shardsim
