#include "shardsim/failure/sentinels.h"

#include <algorithm>
#include <string>

namespace shardsim {

namespace {
constexpr std::uint64_t kMessageBytes = 64;
// Redis 7.2 src/sentinel.c: SENTINEL_MAX_DESYNC, sentinel_ask_period, the 5 x ask period for which
// an answer counts, and sentinel_election_timeout.
constexpr Duration kMaxDesync = kSecond;
constexpr Duration kAskPeriod = kSecond;
constexpr Duration kOpinionValidity = 5 * kAskPeriod;
constexpr Duration kElectionTimeout = 10 * kSecond;
// INFO is polled every second from a replica whose master is failing over (sentinelSendPeriodicCommands).
constexpr Duration kInfoPeriodDuringFailover = kSecond;
}  // namespace

Sentinels::Timers::Timers(Simulation& sim, Sentinels* sentinels)
    : ping(sim, Callback::to<&Sentinels::ping_due>(sentinels)),
      sdown(sim, Callback::to<&Sentinels::sdown_due>(sentinels)),
      ask(sim, Callback::to<&Sentinels::ask_due>(sentinels)),
      abort(sim, Callback::to<&Sentinels::abort_due>(sentinels)) {}

Sentinels::Sentinels(Simulation& sim, Network& network, const SentinelSpec& spec, std::uint64_t seed,
                     Listener& listener)
    : FailureDetector(listener),
      sim_(sim),
      network_(network),
      spec_(spec),
      current_epoch_(spec.geos.size(), 0) {
  for (std::size_t s = 0; s < spec_.geos.size(); ++s) {
    rng_.push_back(std::make_unique<RandomStream>(seed, "failover/sentinel/" + std::to_string(s + 1)));
  }
}

void Sentinels::start() {
  const std::size_t sentinels = sentinel_count();
  const std::size_t watches = watch_count();
  views_.assign(sentinels * watches, View{});
  opinions_.assign(sentinels * sentinels * watches, Opinion{});
  for (std::uint32_t w = 0; w < watches; ++w) {
    std::uint32_t nearest = 0;
    for (std::uint32_t s = 0; s < sentinels; ++s) {
      if (spec_.geos[s] == geo(w)) {
        nearest = s;
        break;
      }
    }
    view_of_.push_back(nearest);
  }
  decided_by_ = view_of_;
  for (std::uint32_t s = 0; s < sentinels; ++s) {
    for (std::uint32_t w = 0; w < watches; ++w) {
      timers_.emplace_back(sim_, this);
      // Each sentinel pings each node at its own phase.
      const auto phase =
          static_cast<Duration>(rng_[s]->next_below(static_cast<std::uint64_t>(ping_period())));
      timers_.back().ping.arm_in(phase, slot(s, w));
    }
  }
}

bool Sentinels::declared_down(std::uint32_t watch) const {
  return view(view_of_[watch], watch).sdown;
}

Duration Sentinels::detection_horizon() const {
  // SDOWN: down_after after the first unanswered ping (up to a ping period after the crash) and a
  // timer tick; ODOWN: the answers, asked at once and then every second; the election, given up
  // after min(10 s, failover_timeout) past a start up to 1 s late.
  // Each tick is at most 0.1 s: the SDOWN check, the ODOWN and leader counts, two failover steps.
  // A first election can split: the retry comes 2 x failover_timeout (and up to 1 s) after it.
  return spec_.down_after + ping_period() + kAskPeriod + kMaxDesync +
         std::min(kElectionTimeout, spec_.failover_timeout) + 2 * spec_.failover_timeout + kMaxDesync +
         5 * kSecond / 10;
}

Duration Sentinels::observation_delay(std::uint32_t w, GeoId promoted_geo) {
  // sentinelSendPeriodicCommands: once the master is ODOWN a replica's INFO period drops from 10 s
  // to 1 s, counted from the last reply, so the first poll goes at the ODOWN tick and each next one
  // at the first tick a second after the previous reply. The promoted replica answers the first
  // poll that reaches it after it took over (now); the reply's trip back is the news's first hop.
  const std::uint32_t s = decided_by_[w];
  const Time odown = view(s, w).odown_at;
  const Duration one_way = from_ms(network_.mean_latency_ms(spec_.geos[s], promoted_geo));
  if (odown == kTimeNever) return 0;
  Time sent = odown;
  while (sent + one_way < sim_.now()) sent += 2 * one_way + kInfoPeriodDuringFailover + tick_delay(s);
  return sent + one_way - sim_.now();
}

Duration Sentinels::poll_wait(std::uint32_t w) {
  return static_cast<Duration>(
      rng_[decided_by_[w]]->next_below(static_cast<std::uint64_t>(kInfoPeriodDuringFailover)));
}

Duration Sentinels::poll_period() const {
  return kInfoPeriodDuringFailover;
}

Duration Sentinels::tick_delay(std::uint32_t sentinel) {
  // Redis redraws its timer frequency at every tick: 10 + rand() % 10 Hz. What a sentinel decides
  // waits for its next tick, a uniform share of that period.
  return static_cast<Duration>(rng_[sentinel]->next_below(static_cast<std::uint64_t>(tick_period(sentinel))));
}

Duration Sentinels::tick_period(std::uint32_t sentinel) {
  return kSecond / static_cast<Duration>(10 + rng_[sentinel]->next_below(10));
}

void Sentinels::send(GeoId from, GeoId to, Callback on_arrival, std::uint64_t arg) {
  ++messages_;
  network_.send(from, to, kMessageBytes, on_arrival, arg);
}

void Sentinels::event(std::uint32_t s, std::uint32_t w, const char* what) {
  listener().on_detector_event(sim_.now(), what, name(w), "sentinel " + std::to_string(s + 1));
}

// ---- Pings and subjective down ----

void Sentinels::ping_due(std::uint64_t i) {
  const std::uint32_t s = sentinel_of(i), w = watch_of(i);
  View& v = views_[i];
  if (v.unanswered_since == kTimeNever) {
    v.unanswered_since = sim_.now();
    timers_[i].sdown.arm_in(spec_.down_after + 1 + tick_delay(s), i);
  }
  // The next ping goes a period after the answer (pong_arrived re-arms), or half a period after
  // this one if no answer comes first.
  timers_[i].ping.arm_in(ping_period() / 2, i);
  send(spec_.geos[s], geo(w), Callback::to<&Sentinels::ping_arrived>(this), i);
}

void Sentinels::ping_arrived(std::uint64_t i) {
  const std::uint32_t s = sentinel_of(i), w = watch_of(i);
  if (!watched(w).alive()) return;  // a crashed node answers nothing
  send(geo(w), spec_.geos[s], Callback::to<&Sentinels::pong_arrived>(this), i);
}

void Sentinels::pong_arrived(std::uint64_t i) {
  const std::uint32_t s = sentinel_of(i), w = watch_of(i);
  View& v = views_[i];
  v.unanswered_since = kTimeNever;
  timers_[i].sdown.cancel();
  timers_[i].ping.arm_in(ping_period(), i);
  // A failover this sentinel led is over once the node answers again: a later one may start.
  if (v.elected) {
    v.in_progress = false;
    v.elected = false;
  }
  if (!v.sdown) return;
  v.sdown = false;
  v.odown = false;
  if (s == view_of_[w]) listener().on_declared_up(w, sim_.now());
}

void Sentinels::on_connections_reset(std::uint32_t w) {
  // Not a sentinel message: the reset of each sentinel's connection, on its way from the node.
  for (std::uint32_t s = 0; s < sentinel_count(); ++s)
    network_.send(geo(w), spec_.geos[s], kMessageBytes, Callback::to<&Sentinels::connection_reset>(this),
                  slot(s, w));
}

void Sentinels::connection_reset(std::uint64_t i) {
  // sentinelReconnectInstance runs at the next tick and sends a PING on the new connection at once;
  // nothing answers it (ping_arrived), so it starts the down_after clock.
  const Time reconnect = sim_.now() + tick_delay(sentinel_of(i));
  Timer& ping = timers_[i].ping;
  if (!ping.armed() || ping.fires_at() > reconnect) ping.arm_at(reconnect, i);
}

void Sentinels::sdown_due(std::uint64_t i) {
  const std::uint32_t s = sentinel_of(i), w = watch_of(i);
  View& v = views_[i];
  if (v.sdown) {  // a tick after answers arrived
    evaluate(s, w);
    return;
  }
  v.sdown = true;
  if (listener().is_master(w)) {
    ask_due(i);  // masters go through the quorum and an election
  } else if (s == view_of_[w]) {
    decided_by_[w] = s;
    listener().on_declared_down(w, sim_.now());
  }
}

// ---- Objective down: asking the other sentinels ----

std::uint64_t Sentinels::new_ask(const Ask& ask) {
  if (free_asks_.empty()) {
    asks_.push_back(ask);
    return asks_.size() - 1;
  }
  const std::uint64_t index = free_asks_.back();
  free_asks_.pop_back();
  asks_[index] = ask;
  return index;
}

void Sentinels::ask_due(std::uint64_t i) {
  ask_peers(i, false);
}

void Sentinels::ask_peers(std::uint64_t i, bool forced) {
  const std::uint32_t s = sentinel_of(i), w = watch_of(i);
  View& v = views_[i];
  if (!listener().is_master(w)) {  // failed over meanwhile: no longer a master to decide on
    v.in_progress = v.elected = false;
    timers_[i].abort.cancel();
  }
  // Redis asks only while it sees the master down itself.
  if (!v.sdown || !listener().is_master(w)) return;
  // sentinelAskMasterStateToOtherSentinels runs at every tick and asks each peer whose last reply
  // is older than the ask period (so, until a first reply, at every tick); a failover's vote
  // request asks them all at once.
  timers_[i].ask.arm_in(tick_period(s), i);
  const std::uint64_t epoch = v.in_progress ? v.failover_epoch : 0;
  for (std::uint32_t p = 0; p < sentinel_count(); ++p) {
    if (p == s) continue;
    const Time replied = opinion(s, p, w).heard_at;
    if (!forced && replied != kTimeNever && sim_.now() - replied < kAskPeriod) continue;
    send(spec_.geos[s], spec_.geos[p], Callback::to<&Sentinels::ask_arrived>(this),
         new_ask(Ask{s, p, w, epoch, false, kNobody, 0}));
  }
  evaluate(s, w);  // a quorum of 1 needs no answer
}

void Sentinels::vote(std::uint32_t voter, std::uint32_t w, std::uint32_t candidate, std::uint64_t epoch) {
  // sentinelVoteLeader: one vote per epoch, to the first candidate that asks.
  current_epoch_[voter] = std::max(current_epoch_[voter], epoch);
  View& v = view(voter, w);
  if (v.vote_epoch < epoch && current_epoch_[voter] <= epoch) {
    v.vote = candidate;
    v.vote_epoch = current_epoch_[voter];
    // Having voted for another, this sentinel does not try a failover of its own for a while.
    if (candidate != voter) {
      const auto desync =
          static_cast<Duration>(rng_[voter]->next_below(static_cast<std::uint64_t>(kMaxDesync)));
      v.may_start_at = std::max(v.may_start_at, sim_.now() + desync + 2 * spec_.failover_timeout);
      if (!v.in_progress) arm_retry(slot(voter, w));
    }
  }
}

void Sentinels::ask_arrived(std::uint64_t index) {
  Ask& ask = asks_[index];
  // The answer is the peer's own subjective view, and its vote if one was asked for (cast whether
  // or not it sees the master down, as Redis does).
  ask.down = view(ask.to, ask.watch).sdown;
  if (ask.epoch > 0) vote(ask.to, ask.watch, ask.from, ask.epoch);
  ask.vote = view(ask.to, ask.watch).vote;
  ask.vote_epoch = view(ask.to, ask.watch).vote_epoch;
  send(spec_.geos[ask.to], spec_.geos[ask.from], Callback::to<&Sentinels::answer_arrived>(this), index);
}

void Sentinels::answer_arrived(std::uint64_t index) {
  const Ask ask = asks_[index];
  free_asks_.push_back(index);
  Opinion& o = opinion(ask.from, ask.to, ask.watch);
  o.down = ask.down;
  o.heard_at = sim_.now();
  o.vote = ask.vote;
  o.vote_epoch = ask.vote_epoch;
  evaluate_at_next_tick(slot(ask.from, ask.watch));
}

void Sentinels::evaluate_at_next_tick(std::uint64_t i) {
  // Redis counts agreeing sentinels and votes in its timer (sentinelCheckObjectivelyDown,
  // sentinelFailoverWaitStart), not when a reply arrives. Only an SDOWN view has anything to decide.
  Timer& tick = timers_[i].sdown;
  if (views_[i].sdown && !tick.armed()) tick.arm_in(tick_delay(sentinel_of(i)), i);
}

void Sentinels::evaluate(std::uint32_t s, std::uint32_t w) {
  View& v = view(s, w);
  if (!v.sdown || !listener().is_master(w)) return;
  std::uint32_t agreeing = 1;
  for (std::uint32_t p = 0; p < sentinel_count(); ++p) {
    const Opinion& o = opinion(s, p, w);
    if (p != s && o.down && sim_.now() - o.heard_at <= kOpinionValidity) ++agreeing;
  }
  const bool odown = agreeing >= spec_.quorum;
  if (odown && !v.odown) {
    event(s, w, "odown");
    v.odown_at = sim_.now();
  }
  v.odown = odown;
  if (v.odown && !v.in_progress && sim_.now() >= v.may_start_at) start_failover(s, w);
  if (!v.in_progress || v.elected) return;
  const std::uint32_t needed =
      std::max<std::uint32_t>(spec_.quorum, static_cast<std::uint32_t>(sentinel_count() / 2 + 1));
  if (votes_for(s, w) < needed) return;
  v.elected = true;
  timers_[slot(s, w)].abort.cancel();
  decided_by_[w] = s;
  event(s, w, "elected_leader");
  listener().on_declared_down(w, sim_.now());
}

Duration Sentinels::command_delay(std::uint32_t w) {
  // The election is seen at a tick (sentinelFailoverWaitStart); the replica is chosen at the next
  // tick (sentinelFailoverSelectSlave) and REPLICAOF NO ONE sent at the one after: two whole ticks.
  const std::uint32_t s = decided_by_[w];
  return tick_period(s) + tick_period(s);
}

// ---- Failover attempt and leader election ----

void Sentinels::start_failover(std::uint32_t s, std::uint32_t w) {
  View& v = view(s, w);
  v.in_progress = true;
  v.elected = false;
  v.attempt_at = sim_.now();
  v.failover_epoch = ++current_epoch_[s];
  vote(s, w, s, v.failover_epoch);
  // failover_start_time = now + rand() % SENTINEL_MAX_DESYNC: the votes are asked for at once; the
  // random term moves the deadline of the election and the next attempt.
  const Time start =
      sim_.now() + static_cast<Duration>(rng_[s]->next_below(static_cast<std::uint64_t>(kMaxDesync)));
  v.may_start_at = start + 2 * spec_.failover_timeout;
  timers_[slot(s, w)].abort.arm_at(start + std::min(kElectionTimeout, spec_.failover_timeout), slot(s, w));
  event(s, w, "try_failover");
  ask_peers(slot(s, w), true);  // vote requests go out in the same tick
}

std::uint32_t Sentinels::votes_for(std::uint32_t s, std::uint32_t w) {
  const View& v = view(s, w);
  std::uint32_t votes = v.vote == s && v.vote_epoch == v.failover_epoch ? 1 : 0;
  for (std::uint32_t p = 0; p < sentinel_count(); ++p) {
    const Opinion& o = opinion(s, p, w);
    if (p != s && o.vote == s && o.vote_epoch == v.failover_epoch &&
        sim_.now() - o.heard_at <= kOpinionValidity)
      ++votes;
  }
  return votes;
}

void Sentinels::promotion_failed(std::uint32_t w) {
  const std::uint32_t s = decided_by_[w];
  View& v = view(s, w);
  if (!v.elected) return;
  v.in_progress = false;
  v.elected = false;
  event(s, w, "failover_abort");
  arm_retry(slot(s, w));
}

void Sentinels::arm_retry(std::uint64_t i) {
  // sentinelStartFailoverIfNeeded runs at every tick: once the retry gate has passed, the next
  // tick may start an attempt. The abort timer is idle between attempts.
  const View& v = views_[i];
  timers_[i].abort.arm_at(std::max(sim_.now(), v.may_start_at) + tick_delay(sentinel_of(i)), i);
}

void Sentinels::abort_due(std::uint64_t i) {
  View& v = views_[i];
  if (!v.in_progress) {  // a retry tick (arm_retry)
    evaluate(sentinel_of(i), watch_of(i));
    return;
  }
  if (v.elected) return;
  v.in_progress = false;
  event(sentinel_of(i), watch_of(i), "failover_abort_not_elected");
  arm_retry(i);
}

}  // namespace shardsim
