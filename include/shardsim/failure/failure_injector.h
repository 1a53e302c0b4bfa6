// Injects the scenario's failures at their times: crashes and recoveries of masters, shard masters
// and slaves; slow nodes; partitions, latency spikes and message loss between geos; and random
// crashes with times between failures and times to repair drawn from each node's own random
// stream ("failures/random/<node>"), so adding one failure process does not change the others.
//
// Every injected failure is written to the failure timeline. The injector only breaks things; the
// failover coordinator notices (through its heartbeats) and repairs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "shardsim/failure/failover.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Topology;
class GlobalMaster;
class ShardMaster;
class ShardSlave;
class Node;

class FailureInjector {
 public:
  // Throws std::invalid_argument naming a failure's node that the topology does not have.
  FailureInjector(Topology& topology, FailoverCoordinator& coordinator);
  void start();
  // The drain at the end of a run: no failure starts from now on (no crash, slowdown, partition,
  // spike or loss; a random-crash process makes no next crash), but the failures in force still
  // end when they are due, so that the copies they hold back can catch up. Returns the time the
  // last of those ends is due (now if none is pending; a failure without a duration never ends).
  Time stop_injecting();
  // Injected failures in force now (crashed nodes, slow nodes, link impairments).
  int active() const { return active_; }

  // The names a failure may crash (masters, shard masters, slaves), in topology order.
  static std::vector<std::string> crashable_names(Topology& topology);

  // A box that can crash: exactly one pointer is set.
  struct Crashable {
    std::string name;
    GlobalMaster* master = nullptr;
    ShardMaster* shard_master = nullptr;
    ShardSlave* slave = nullptr;
  };

 private:
  enum class ActionKind : std::uint8_t {
    kCrash,
    kRecover,
    kSlowStart,
    kSlowEnd,
    kPartition,
    kHeal,
    kSpikeStart,
    kSpikeEnd,
    kLossStart,
    kLossEnd
  };
  struct Action {
    Time at;
    ActionKind kind;
    std::size_t failure;  // index in scenario.failures
    std::size_t target;   // crashable or node index
    bool random;          // part of a random-crash process (schedules its next step)
  };

  static bool starts_a_failure(ActionKind kind);  // rather than ending one
  void schedule(Time at, ActionKind kind, std::size_t failure, std::size_t target, bool random = false);
  void fire(std::uint64_t action);
  void crash(Crashable& target, Time now, bool host_up);
  void recover(Crashable& target, Time now);
  std::size_t crashable_index(const std::string& name) const;
  std::size_t node_index(const std::string& name) const;
  std::string link_name(const FailureSpec& spec) const;
  // The state of a slow node or an impaired link, recomputed from every failure in force on it, so
  // that overlapping failures of one target end only when the last of them does.
  void apply_slowdown(std::size_t node);
  void apply_partition(std::pair<GeoId, GeoId> link);
  void apply_loss(std::pair<GeoId, GeoId> link);
  static std::pair<GeoId, GeoId> link_of(const FailureSpec& spec);

  Topology& t_;
  FailoverCoordinator& coordinator_;
  std::vector<Crashable> crashables_;
  std::vector<Node*> nodes_;
  std::vector<Action> actions_;
  std::vector<std::unique_ptr<RandomStream>> random_streams_;   // by crashable index, made on demand
  std::set<std::pair<std::size_t, std::size_t>> in_force_;      // (failure, target) of every failure in force
  std::vector<std::uint32_t> crashes_in_force_;                 // by crashable index
  std::map<std::size_t, std::set<std::size_t>> slow_in_force_;  // node index -> failures
  using LinkFailures = std::map<std::pair<GeoId, GeoId>, std::set<std::size_t>>;
  LinkFailures partitions_in_force_;  // (lower geo, higher geo) -> failures
  LinkFailures losses_in_force_;
  bool stopped_ = false;
  int active_ = 0;
};

}  // namespace shardsim
