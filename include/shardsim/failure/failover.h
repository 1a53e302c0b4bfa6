// Automatic failover: what the system does when its failure detector (a heartbeat monitor, or
// sentinels; failure_detector.h) declares a node down.
//
// - active_master_global: after the promotion time, the passive master becomes active. The logs
//   are cut back to what it had applied: writes the old master acknowledged beyond that are lost
//   (counted, with their keys and the span of commit times: the RPO), and copies downstream that
//   had applied them roll back. The old master is fenced and rejoins as the standby. Each geo's
//   front end, and the async consumers, route writes to the new master once the news reaches them
//   (network delay from the monitor, plus the routing update time).
// - shard_master_global[i] (or a slave promoted in its place): after the promotion time, one of the
//   shard's live slaves is promoted (the most caught-up by default, or the most caught-up in a
//   preferred geo). It is taken off its SLB first, so no read ever reaches a master; the other
//   slaves follow it and the shard's feed from the global master is re-pointed to it. The old
//   shard master rejoins as a follower of the new one.
// - a shard slave: its geo's SLB takes it off the ring when the news arrives, and puts it back
//   when it is declared up again.
// - the passive master: recorded; replication to it resumes when it is back.
//
// Declaring a healthy node down (a partition between it and the monitor) triggers the same
// actions: a false failover, counted.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shardsim/failure/failure_detector.h"
#include "shardsim/failure/failure_log.h"
#include "shardsim/failure/replica_reconfiguration.h"
#include "shardsim/model/context.h"
#include "shardsim/model/reconfiguration.h"
#include "shardsim/random/stream.h"

namespace shardsim {

class Topology;

class FailoverCoordinator : public FailureDetector::Listener, public WriteObserver {
 public:
  explicit FailoverCoordinator(Topology& topology);

  // Sets up heartbeats for every master and slave.
  void start();

  // The injector reports real crashes and recoveries (for the timeline and false-failover checks).
  // `host_up`: the process died on a live host, so the detector's connections to it are reset.
  void on_crash(const std::string& node, Time now, bool host_up = false);
  void on_recover(const std::string& node, Time now);
  void note(Time now, std::string what, std::string node, std::string detail = {});

  void on_declared_down(std::uint32_t watch, Time now) override;
  void on_declared_up(std::uint32_t watch, Time now) override;
  bool is_master(std::uint32_t watch) const override;
  std::uint64_t replication_position(std::uint32_t watch) const override;
  void on_master_demoted(std::uint32_t watch, Time now) override;
  void on_master_reinstated(std::uint32_t watch, Time now) override;
  void on_detector_event(Time now, std::string what, std::string node, std::string detail) override;
  void on_commit(Time now, Time issued, bool async) override;
  void on_sync_write_failed(Time now) override;
  void on_divergent_write(Time now) override;
  void on_min_replicas(Time now, const std::string& master, bool refusing,
                       const std::string& detail) override;

  const FailureLog& log() const { return log_; }
  const FailureDetector& detector() const { return *detector_; }

 private:
  enum class Target : std::uint8_t { kGlobalMaster, kShardMaster, kShardSlave };
  struct Watch {
    Target target;
    std::uint32_t index;  // 0/1: active/passive at start; shard; slave id
  };

  FailoverRecord& open_record(std::uint32_t watch, FailedRole role, Time now);
  std::size_t record_for(std::uint32_t watch, FailedRole role, Time now);
  Replica& watched_replica(std::uint32_t watch);
  const Replica& watched_replica(std::uint32_t watch) const;
  // Under the sentinel policy the promotion is a command from the leader's geo to the replica's,
  // carried by the network (resent while a partition drops it); `promote` runs when it arrives.
  void send_promotion(GeoId from, GeoId to, Callback promote, std::uint64_t arg, std::uint64_t record);
  void abandon_promotion(std::uint64_t record, const std::string& why);
  void send_command(std::uint64_t index);
  void command_arrived(std::uint64_t index);
  void report_promotion(std::uint64_t record_index);
  void promotion_observed(std::uint64_t record_index);
  GeoId news_origin(std::uint64_t item) const;

  void global_master_down(std::uint32_t watch, Time now);
  void promote_standby(std::uint64_t record);
  void update_geo_view(GeoId geo, std::uint64_t record_index);
  void shard_leader_down(std::uint32_t shard, std::uint32_t watch, Time now);
  void promote_in_shard(std::uint64_t record_and_shard);
  Replica* choose_new_leader(std::uint32_t shard);
  void slave_down(std::uint32_t slave, Time now);
  void slave_up(std::uint32_t slave, Time now);
  void slb_remove(std::uint32_t slave);
  void slb_restore(std::uint32_t slave);
  GeoId news_geo(std::uint64_t item) const;
  void send_news(std::uint64_t item);
  void news_arrived(std::uint64_t item);
  void apply_news(std::uint64_t item);
  void maybe_close(FailoverRecord& record);
  void fence_unfenced(Time now);

  Topology& t_;
  FailureLog log_;
  Reconfiguration reconfigure_;  // every change to the wiring goes through it
  std::unique_ptr<FailureDetector> detector_;
  ReplicaReconfiguration replica_reconfiguration_;  // a Sentinel leader's, with parallel_syncs
  // With parallel_syncs: per shard, whether its shard master held writes the last promotion of the
  // standby cut (it then needs a full resync with the new master).
  std::vector<bool> shard_master_ahead_;
  RandomStream rng_;
  std::vector<Watch> watches_;
  std::vector<std::uint32_t> slave_watch_;  // by slave id
  struct Crash {
    Time at;
    std::uint64_t sync_failures;  // sync writes failed before it
  };
  std::map<std::string, Crash> crashed_at_;  // nodes down now, by name (ordered: deterministic)
  std::uint64_t sync_write_failures_ = 0;
  std::vector<std::uint64_t> promoting_shard_;  // per shard: 1 while a promotion is pending
  std::vector<Replica*> chosen_leader_;         // per shard: the replica a leader or an election chose
  bool promoting_global_ = false;
  struct Command {  // a promotion on its way from a sentinel leader
    GeoId from, to;
    Callback deliver;
    std::uint64_t arg;
    std::uint64_t record;
    Time deadline;  // Redis aborts a promotion not confirmed within failover_timeout
  };
  std::vector<Command> commands_;
  std::map<std::uint64_t, GeoId> news_origin_;          // record -> where its master-change news leaves
  std::map<std::uint64_t, std::size_t> views_pending_;  // record -> geos whose routers have not heard
  std::size_t global_record_ = 0;
  std::vector<std::uint32_t> record_watch_;  // by failover record: the watch it is about
  // With fencing off: the failover whose old master still takes writes, and its geo.
  std::optional<std::size_t> unfenced_record_;
  GeoId unfenced_geo_ = 0;
};

}  // namespace shardsim
