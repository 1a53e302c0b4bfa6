#include "shardsim/failure/failure_injector.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "shardsim/model/topology.h"

namespace shardsim {

namespace {

std::vector<FailureInjector::Crashable> collect_crashables(Topology& t) {
  std::vector<FailureInjector::Crashable> all;
  all.push_back({t.active_master->name(), t.active_master.get(), nullptr, nullptr});
  all.push_back({t.passive_master->name(), t.passive_master.get(), nullptr, nullptr});
  for (auto& sm : t.shard_masters) all.push_back({sm->name(), nullptr, sm.get(), nullptr});
  for (auto& slave : t.slaves) all.push_back({slave->replica().name(), nullptr, nullptr, slave.get()});
  return all;
}

}  // namespace

std::vector<std::string> FailureInjector::crashable_names(Topology& topology) {
  std::vector<std::string> names;
  for (const auto& c : collect_crashables(topology)) names.push_back(c.name);
  return names;
}

FailureInjector::FailureInjector(Topology& topology, FailoverCoordinator& coordinator)
    : t_(topology),
      coordinator_(coordinator),
      crashables_(collect_crashables(topology)),
      nodes_(topology.nodes()) {
  random_streams_.resize(crashables_.size());
  crashes_in_force_.resize(crashables_.size(), 0);
  // Resolve every name now, so a scenario naming a node that does not exist fails before running.
  for (const FailureSpec& spec : t_.scenario.failures) {
    for (const std::string& name : spec.nodes) {
      if (spec.kind == FailureSpec::Kind::kSlow) {
        node_index(name);
      } else {
        crashable_index(name);
      }
    }
  }
}

std::size_t FailureInjector::crashable_index(const std::string& name) const {
  for (std::size_t i = 0; i < crashables_.size(); ++i) {
    if (crashables_[i].name == name) return i;
  }
  throw std::invalid_argument("failure names node \"" + name +
                              "\", which cannot crash: crashable nodes are masters, "
                              "shard masters and shard slaves (see `shardsim explain`)");
}

std::size_t FailureInjector::node_index(const std::string& name) const {
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i]->name() == name) return i;
  }
  throw std::invalid_argument("failure names node \"" + name + "\", which the topology does not have");
}

std::string FailureInjector::link_name(const FailureSpec& spec) const {
  return t_.scenario.geos[spec.geo_a] + "<->" + t_.scenario.geos[spec.geo_b];
}

void FailureInjector::schedule(Time at, ActionKind kind, std::size_t failure, std::size_t target,
                               bool random) {
  actions_.push_back(Action{at, kind, failure, target, random});
  t_.sim.schedule_at(std::max(at, t_.sim.now()), Callback::to<&FailureInjector::fire>(this),
                     actions_.size() - 1);
}

void FailureInjector::start() {
  const auto& failures = t_.scenario.failures;
  for (std::size_t f = 0; f < failures.size(); ++f) {
    const FailureSpec& spec = failures[f];
    const bool ends = spec.duration.has_value();
    const Time end = ends ? spec.at + *spec.duration : kTimeNever;
    switch (spec.kind) {
      case FailureSpec::Kind::kCrash:
        for (const std::string& name : spec.nodes) {
          schedule(spec.at, ActionKind::kCrash, f, crashable_index(name));
          if (ends) schedule(end, ActionKind::kRecover, f, crashable_index(name));
        }
        break;
      case FailureSpec::Kind::kSlow:
        for (const std::string& name : spec.nodes) {
          schedule(spec.at, ActionKind::kSlowStart, f, node_index(name));
          if (ends) schedule(end, ActionKind::kSlowEnd, f, node_index(name));
        }
        break;
      case FailureSpec::Kind::kPartition:
        schedule(spec.at, ActionKind::kPartition, f, 0);
        if (ends) schedule(end, ActionKind::kHeal, f, 0);
        break;
      case FailureSpec::Kind::kLatencySpike:
        schedule(spec.at, ActionKind::kSpikeStart, f, 0);
        if (ends) schedule(end, ActionKind::kSpikeEnd, f, 0);
        break;
      case FailureSpec::Kind::kLoss:
        schedule(spec.at, ActionKind::kLossStart, f, 0);
        if (ends) schedule(end, ActionKind::kLossEnd, f, 0);
        break;
      case FailureSpec::Kind::kRandomCrashes:
        for (const std::string& name : spec.nodes) {
          const std::size_t target = crashable_index(name);
          random_streams_[target] =
              std::make_unique<RandomStream>(t_.scenario.seed, "failures/random/" + name);
          const Duration first = from_s(spec.time_between_failures_s.sample(*random_streams_[target]));
          schedule(spec.at + first, ActionKind::kCrash, f, target, true);
        }
        break;
    }
  }
}

bool FailureInjector::starts_a_failure(ActionKind kind) {
  return kind == ActionKind::kCrash || kind == ActionKind::kSlowStart || kind == ActionKind::kPartition ||
         kind == ActionKind::kSpikeStart || kind == ActionKind::kLossStart;
}

Time FailureInjector::stop_injecting() {
  stopped_ = true;
  const Time now = t_.sim.now();
  Time last_end = now;
  for (const Action& action : actions_) {
    if (!starts_a_failure(action.kind) && action.at > last_end) last_end = action.at;
  }
  return last_end;
}

void FailureInjector::fire(std::uint64_t index) {
  const Action action = actions_[index];
  if (stopped_ && starts_a_failure(action.kind)) return;
  // A failure ends only if it started: one whose start fell in the drain was skipped, and its end
  // must not undo anything (it drove failures_in_force to -1).
  const std::pair<std::size_t, std::size_t> failure_target{action.failure, action.target};
  if (starts_a_failure(action.kind)) {
    if (!in_force_.insert(failure_target).second) return;
  } else if (in_force_.erase(failure_target) == 0) {
    return;
  }
  const FailureSpec& spec = t_.scenario.failures[action.failure];
  const Time now = t_.sim.now();
  switch (action.kind) {
    case ActionKind::kCrash:
      crash(crashables_[action.target], now, spec.host_up);
      if (action.random) {
        const Duration repair = from_s(spec.time_to_repair_s.sample(*random_streams_[action.target]));
        schedule(now + repair, ActionKind::kRecover, action.failure, action.target, true);
      }
      break;
    case ActionKind::kRecover:
      recover(crashables_[action.target], now);
      if (action.random && !stopped_) {
        const Duration next = from_s(spec.time_between_failures_s.sample(*random_streams_[action.target]));
        schedule(now + next, ActionKind::kCrash, action.failure, action.target, true);
      }
      break;
    case ActionKind::kSlowStart:
      ++active_;
      slow_in_force_[action.target].insert(action.failure);
      apply_slowdown(action.target);
      coordinator_.note(now, "slow", nodes_[action.target]->name(),
                        fmt::format("service x{}", spec.slowdown));
      break;
    case ActionKind::kSlowEnd:
      --active_;
      slow_in_force_[action.target].erase(action.failure);
      apply_slowdown(action.target);
      coordinator_.note(now, "slow_end", nodes_[action.target]->name());
      break;
    case ActionKind::kPartition:
      ++active_;
      partitions_in_force_[link_of(spec)].insert(action.failure);
      apply_partition(link_of(spec));
      coordinator_.note(now, "partition", link_name(spec), spec.drop ? "messages dropped" : "messages held");
      break;
    case ActionKind::kHeal:
      --active_;
      partitions_in_force_[link_of(spec)].erase(action.failure);
      apply_partition(link_of(spec));
      coordinator_.note(now, "heal", link_name(spec));
      break;
    case ActionKind::kSpikeStart:
      ++active_;
      t_.network.add_latency(spec.geo_a, spec.geo_b, spec.extra_latency_ms);
      coordinator_.note(now, "latency_spike", link_name(spec), fmt::format("+{} ms", spec.extra_latency_ms));
      break;
    case ActionKind::kSpikeEnd:
      --active_;
      t_.network.add_latency(spec.geo_a, spec.geo_b, -spec.extra_latency_ms);
      coordinator_.note(now, "latency_spike_end", link_name(spec));
      break;
    case ActionKind::kLossStart:
      ++active_;
      losses_in_force_[link_of(spec)].insert(action.failure);
      apply_loss(link_of(spec));
      coordinator_.note(now, "loss", link_name(spec),
                        fmt::format("{:.1f}% of messages", spec.loss_share * 100));
      break;
    case ActionKind::kLossEnd:
      --active_;
      losses_in_force_[link_of(spec)].erase(action.failure);
      apply_loss(link_of(spec));
      coordinator_.note(now, "loss_end", link_name(spec));
      break;
  }
}

std::pair<GeoId, GeoId> FailureInjector::link_of(const FailureSpec& spec) {
  return {std::min(spec.geo_a, spec.geo_b), std::max(spec.geo_a, spec.geo_b)};
}

void FailureInjector::apply_slowdown(std::size_t node) {
  // Two slowdowns in force at once: the node runs at the pace of the worse one.
  double factor = 1.0;
  for (std::size_t f : slow_in_force_[node]) factor = std::max(factor, t_.scenario.failures[f].slowdown);
  nodes_[node]->set_slowdown(factor);
}

void FailureInjector::apply_partition(std::pair<GeoId, GeoId> link) {
  const std::set<std::size_t>& failures = partitions_in_force_[link];
  if (failures.empty()) {
    t_.network.heal(link.first, link.second);
    return;
  }
  // The link opens when the last partition in force heals. It drops messages when any of them
  // drops, or never heals: a partition cannot hold messages for ever.
  bool drop = false;
  Time heals_at = 0;
  for (std::size_t f : failures) {
    const FailureSpec& spec = t_.scenario.failures[f];
    const Time ends = spec.duration ? spec.at + *spec.duration : kTimeNever;
    drop = drop || spec.drop || ends == kTimeNever;
    heals_at = std::max(heals_at, ends);
  }
  t_.network.partition(link.first, link.second, drop, heals_at);
}

void FailureInjector::apply_loss(std::pair<GeoId, GeoId> link) {
  // Independent losses in force at once: a message survives only if it survives each of them.
  double survives = 1.0;
  for (std::size_t f : losses_in_force_[link]) survives *= 1.0 - t_.scenario.failures[f].loss_share;
  t_.network.set_loss(link.first, link.second, 1.0 - survives);
}

namespace {
bool crashable_up(const FailureInjector::Crashable& target) {
  if (target.master) return target.master->node().up();
  if (target.shard_master) return target.shard_master->replica().up();
  return target.slave->up();
}
}  // namespace

void FailureInjector::crash(Crashable& target, Time now, bool host_up) {
  // Every crash in force counts, and the node comes back only when the last of them ends.
  ++active_;
  ++crashes_in_force_[static_cast<std::size_t>(&target - crashables_.data())];
  if (!crashable_up(target)) return;
  if (target.master) {
    target.master->crash();
  } else if (target.shard_master) {
    target.shard_master->replica().crash();
  } else {
    target.slave->crash();
  }
  coordinator_.on_crash(target.name, now, host_up);
}

void FailureInjector::recover(Crashable& target, Time now) {
  --active_;
  std::uint32_t& in_force = crashes_in_force_[static_cast<std::size_t>(&target - crashables_.data())];
  if (--in_force > 0 || crashable_up(target)) return;
  if (target.master) {
    target.master->recover();
  } else if (target.shard_master) {
    target.shard_master->replica().recover();
  } else {
    target.slave->recover();
  }
  coordinator_.on_recover(target.name, now);
}

}  // namespace shardsim
