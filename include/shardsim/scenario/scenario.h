// The typed model of a scenario file, after loading, defaulting and validation.
//
// Every field here comes from the JSON file (see docs/scenario-format.md and the JSON Schema in
// scenarios/schema/scenario.schema.json, which is the single source of truth for the format).
// Times are already converted to integer nanoseconds; distributions keep the unit their key
// names (`service_ms` yields milliseconds).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "shardsim/kernel/time.h"
#include "shardsim/random/distribution.h"
#include "shardsim/random/key_popularity.h"

namespace shardsim {

using GeoId = std::uint32_t;

// A finite-capacity server: `servers` parallel servers, a FIFO queue of `queue_capacity` waiting
// jobs (a full queue rejects), and a service time per job.
struct NodeSpec {
  std::uint32_t servers = 1;
  std::uint32_t queue_capacity = 1000;
  Distribution service_ms = Distribution::constant(0.1);
};

// One direction of traffic between two geos (or within one).
struct LinkSpec {
  GeoId from = 0;
  GeoId to = 0;
  Distribution latency_ms = Distribution::constant(1);
  std::optional<double> bandwidth_bytes_per_s;  // unset: unlimited
  // Where the latency comes from, for `explain`: "network.links/N", or the region table and the
  // round trips it was derived from.
  std::string source;
};

struct NetworkSpec {
  Distribution intra_geo_latency_ms = Distribution::constant(0.5);
  Distribution inter_geo_latency_ms = Distribution::constant(50);  // pairs not listed in `links`
  // Explicit links (both directions already expanded), then the links derived from `regions` for
  // the directions no explicit link sets.
  std::vector<LinkSpec> links;
  std::vector<std::string> regions;   // per GeoId: "provider:region", or "" where unbound
  std::uint32_t message_bytes = 512;  // request/response size, for serialization on bandwidth
  // A sender that gets no answer gives up after this long (a message lost to a partition or to
  // loss): the client's request fails, a replication batch is resent.
  Duration timeout = kSecond;
  // The shortest timeout a scenario may set (the schema's minimum of network.timeout_ms). Resends
  // after a loss are then at least this far apart, so no retry loop can spin at one instant.
  static constexpr Duration kMinTimeout = kMillisecond;
};

struct KeySpaceSpec {
  // How a replication log keeps per-key state (see ReplicationLog): a table over the whole key
  // space, or a hash table of the keys written; kAuto picks dense up to kAutoDenseKeys keys.
  enum class State { kAuto, kDense, kSparse };
  static constexpr std::uint64_t kAutoDenseKeys = std::uint64_t{1} << 24;

  std::uint64_t first_key = 1;
  std::uint64_t count = 1000;
  std::uint32_t value_bytes = 1024;  // replicated payload per write entry
  State state = State::kAuto;

  bool sparse_state() const {
    return state == State::kSparse || (state == State::kAuto && count > kAutoDenseKeys);
  }
};

struct ShardSpec {
  std::uint64_t first_key = 0;  // inclusive
  std::uint64_t last_key = 0;   // inclusive
};

// One lazy replication hop: an ordered log shipped in batches and applied at the replica.
struct ReplicationHopSpec {
  Duration batch_interval = 10 * kMillisecond;
  // Each interval is batch_interval x U[1 - jitter, 1 + jitter]; 0 ticks in lockstep (see
  // docs/scenario-format.md for why that is the default).
  double batch_jitter = 0;
  std::uint32_t max_batch_entries = 1000;
  Distribution apply_ms_per_entry = Distribution::constant(0.01);
};

struct ReplicationSpec {
  ReplicationHopSpec master_to_standby;
  ReplicationHopSpec master_to_shard_master;
  ReplicationHopSpec shard_master_to_slave;
  // Entries a shard's log keeps beyond the slowest copy it serves; a copy further behind lapses
  // and needs a snapshot (ReplicationLog). Default: kDefaultLogRetention, or kMaxRetainedEntries
  // over the shard count when that is smaller.
  std::uint64_t log_retention_entries = kDefaultLogRetention;

  static constexpr std::uint64_t kDefaultLogRetention = 1'000'000;
  // The most log entries all shards may keep together (32 bytes each: 3.2 GB).
  static constexpr std::uint64_t kMaxRetainedEntries = 100'000'000;
};

struct MastersSpec {
  GeoId active_geo = 0;
  GeoId standby_geo = 0;
  NodeSpec node;  // the active (and standby) global master: commit cost per write
  // Redis min-replicas-to-write / min-replicas-max-lag (redis.conf): a master refuses writes
  // (NOREPLICAS) while fewer than `min_replicas_to_write` of its direct copies of the write's shard
  // have acknowledged it within the last `min_replicas_max_lag_s` whole seconds. 0 (the default):
  // off. A setting of the master, not a write path's durability: it gates every write the node
  // takes, before the commit, and leaves when a committed write is answered to `durability`.
  std::uint32_t min_replicas_to_write = 0;
  std::uint32_t min_replicas_max_lag_s = 10;
};

struct ShardMastersSpec {
  GeoId geo = 0;  // where the shard masters run
  NodeSpec node;
};

struct SlavesSpec {
  std::vector<std::uint32_t> per_shard_per_geo;  // indexed by GeoId
  NodeSpec node;                                 // read service
};

enum class CacheInvalidation { kTtlOnly, kOnSlaveApply };

struct CacheSpec {
  std::uint32_t nodes = 1;
  std::uint64_t capacity_keys_per_node = 1000;
  Duration ttl = 60 * kSecond;
  CacheInvalidation invalidation = CacheInvalidation::kTtlOnly;
  NodeSpec node;
};

struct LoadBalancerSpec {
  std::uint32_t vnodes_per_node = 100;
  std::optional<double> bounded_load_factor;  // c in "bounded loads" (c >= 1); unset: plain ring
};

// How a geo's request rate varies over time: rate(t) = base rate x multiplier(t).
struct LoadShapeSpec {
  enum class Kind { kConstant, kSteps, kDaily, kSpike } kind = Kind::kConstant;
  std::vector<std::pair<Time, double>> steps;  // kSteps: (from time, multiplier), ascending
  double daily_amplitude = 0.5;                // kDaily: 1 + a*sin(2 pi (t - peak)/period + pi/2)
  Duration daily_period = 24LL * 3600 * kSecond;
  Time daily_peak = 12LL * 3600 * kSecond;
  Time spike_at = 0;  // kSpike: multiplier inside [at, at + length)
  Duration spike_length = 0;
  double spike_multiplier = 1;
};

struct GeoWorkloadSpec {
  double rate_per_s = 0;              // all requests of the geo's clients, before the CDN
  double static_fraction = 0;         // share ended at the CDN edge
  double read_fraction = 0.8;         // of non-static requests
  double async_write_fraction = 0.5;  // of writes
  double dns_lookup_fraction = 0.05;  // share of requests paying a DNS resolution
  KeyPopularity keys = KeyPopularity::hot_set(1000, 0.2, 0.8);
  LoadShapeSpec shape;
};

struct EdgeSpec {  // DNS and CDN, per geo
  Distribution dns_lookup_ms = Distribution::constant(20);
  Distribution cdn_response_ms = Distribution::constant(5);
};

struct AsyncPathSpec {
  GeoId geo = 0;  // where the message queue, its consumers and the object store run
  NodeSpec scheduler;
  std::uint64_t queue_capacity = 100000;
  NodeSpec consumer;  // `servers` consumers; service = dequeue and hand-off cost
  NodeSpec object_store;
};

struct FrontEndSpec {  // per geo
  NodeSpec api_gateway;
  NodeSpec read_api;
  NodeSpec write_sync;
  NodeSpec write_async;
};

// A failure injected into the run (see docs/scenario-format.md, "failures").
struct FailureSpec {
  enum class Kind { kCrash, kSlow, kPartition, kLatencySpike, kLoss, kRandomCrashes } kind = Kind::kCrash;
  Time at = 0;
  std::optional<Duration> duration;  // crash: time to recovery (unset: never recovers); others: length
  std::vector<std::string> nodes;    // crash, slow, random crashes: node names
  // Crash, random crashes: the process died but its host stayed up, so peers holding a connection
  // to it see the connection reset (after the network's delay) instead of a silence.
  bool host_up = false;
  double slowdown = 1;          // slow: service time multiplier
  GeoId geo_a = 0, geo_b = 0;   // partition, spike, loss: between these geos (both directions)
  bool drop = false;            // partition: drop messages (true) or hold them until it heals
  double extra_latency_ms = 0;  // latency spike
  double loss_share = 0;        // loss
  Distribution time_between_failures_s = Distribution::exponential(3600);  // random crashes
  Distribution time_to_repair_s = Distribution::exponential(60);           // random crashes
};

// How failures are detected and repaired.
// Redis Sentinel's documented parameters (docs/failover-policies.md), with Redis's defaults.
struct SentinelSpec {
  std::vector<GeoId> geos;  // one sentinel per entry
  std::uint32_t quorum = 2;
  Duration down_after = 30 * kSecond;
  Duration failover_timeout = 180 * kSecond;
  // Redis parallel-syncs: after a promotion the leader re-points the master's other replicas this
  // many at a time, each batch once the last one has synced. 0 (absent): not modelled, the other
  // replicas follow the new master at the promotion.
  std::uint32_t parallel_syncs = 0;
  // Redis replica-priority, by node name: lower is promoted first, 0 never. Unlisted: 100, Redis's
  // default.
  std::map<std::string, std::uint32_t> replica_priority;
  static constexpr std::uint32_t kDefaultPriority = 100;
  std::uint32_t priority_of(const std::string& node) const {
    const auto it = replica_priority.find(node);
    return it == replica_priority.end() ? kDefaultPriority : it->second;
  }
};

// MongoDB replica-set election settings (docs/failover-policies.md), with MongoDB's defaults. The
// replica sets are the two global masters and each shard's master and slaves, each with one
// arbiter per entry of `arbiters`.
struct ElectionSpec {
  std::vector<GeoId> arbiters;
  Duration election_timeout = 10 * kSecond;   // electionTimeoutMillis
  Duration heartbeat_interval = 2 * kSecond;  // heartbeatIntervalMillis
  Duration heartbeat_timeout = 10 * kSecond;  // heartbeatTimeoutSecs
  std::vector<double> priority_by_geo;        // by geo (empty: 1 everywhere); 0: never stands
  double priority(GeoId geo) const { return geo < priority_by_geo.size() ? priority_by_geo[geo] : 1.0; }
  bool same_geo_only = false;  // failover.prevent_cross_region_failover: others have priority 0
};

// Patroni's settings (docs/failover-policies.md), with Patroni's defaults. Each replica set (as
// under elections, without arbiters) keeps its leader key in one coordination store (etcd,
// Consul) whose nodes sit in `store_geos`; the first is the store's Raft leader.
struct LeaseSpec {
  std::vector<GeoId> store_geos;
  Duration ttl = 30 * kSecond;
  Duration loop_wait = 10 * kSecond;
  Duration retry_timeout = 10 * kSecond;
  std::uint64_t maximum_lag_on_failover_bytes = 1048576;
  std::uint64_t entry_bytes = 0;        // WAL bytes of one log entry (the keys' value_bytes)
  std::vector<double> priority_by_geo;  // failover_priority by geo (empty: 1 everywhere); 0: nofailover
  double priority(GeoId geo) const { return geo < priority_by_geo.size() ? priority_by_geo[geo] : 1.0; }
  bool same_geo_only = false;  // failover.prevent_cross_region_failover: others are nofailover
};

// MySQL Orchestrator's settings (docs/failover-policies.md), with its defaults and MySQL's.
struct OrchestratorSpec {
  std::vector<GeoId> geos;                    // orchestrator nodes (raft); the first leads
  Duration instance_poll = 5 * kSecond;       // InstancePollSeconds
  Duration connect_timeout = 2 * kSecond;     // MySQLConnectTimeoutSeconds
  Duration slave_net_timeout = 60 * kSecond;  // MySQL's; a replica's IO thread stops after it
  Duration recovery_block = 3600 * kSecond;   // RecoveryPeriodBlockSeconds
  enum class Rule : std::int8_t { kMustNot = -2, kPreferNot = -1, kNeutral = 0, kPrefer = 1 };
  std::vector<Rule> rule_by_geo;  // promotion rule by geo (empty: neutral everywhere)
  Rule rule(GeoId geo) const { return geo < rule_by_geo.size() ? rule_by_geo[geo] : Rule::kNeutral; }
};

struct FailoverSpec {
  // Who detects failures and decides a failover: one heartbeat monitor; a set of sentinels that
  // agree (a quorum) and elect a leader to carry it out; the replica sets' own elections; a
  // leader lease in a coordination store; or an orchestrator that confirms a dead master with its
  // replicas.
  enum class Detector {
    kHeartbeat,
    kSentinel,
    kElection,
    kLease,
    kOrchestrator
  } detector = Detector::kHeartbeat;
  SentinelSpec sentinel;
  ElectionSpec election;
  LeaseSpec lease;
  OrchestratorSpec orchestrator;
  GeoId monitor_geo = 0;
  Duration heartbeat_interval = 500 * kMillisecond;
  std::uint32_t missed_heartbeats = 3;
  Distribution promotion_ms = Distribution::constant(2000);
  Distribution routing_update_ms = Distribution::constant(100);  // after the news reaches a geo
  enum class Policy { kMostCaughtUp, kPreferredGeo } shard_policy = Policy::kMostCaughtUp;
  GeoId preferred_geo = 0;
  // A master is only ever replaced by a replica in its own geo (Orchestrator's
  // PreventCrossRegionMasterFailover; under elections and leases, members elsewhere get priority 0).
  bool prevent_cross_region = false;
  // The old master is fenced at the promotion (true), or keeps taking writes until the news of the
  // new master reaches its geo: both sides then accept writes the other never gets (divergent).
  bool fencing = true;
};

// When the active master answers a committed write (docs/failover-policies.md, "Write
// acknowledgement"): at once (async), or once `replicas` of its direct copies of the write's shard
// (the standby's copy, the shard master) have it.
struct DurabilitySpec {
  enum class Mode { kAsync, kSemiSync, kQuorum } mode = Mode::kAsync;
  std::uint32_t replicas = 1;
  bool counts_standby = true;  // the copies that may acknowledge
  bool counts_shard_master = true;
  // semi_sync: after this long without enough acknowledgements the master falls back to async
  // (MySQL rpl_semi_sync_master_timeout); quorum: the write fails to its client (wtimeout).
  Duration timeout = 10 * kSecond;
};

// An absolute threshold on one metric of the report (a service-level objective), like a k6
// threshold: the run fails when the value at `metric` (a JSON pointer into report.json) is below
// `min` or above `max`.
struct SloSpec {
  std::string metric;
  std::optional<double> min;
  std::optional<double> max;
};

struct ReportSpec {
  Duration warmup = 0;
  Duration sample_interval = kSecond;
  double fresh_share_target = 0.8;
  double hot_share_target = 0.8;
  std::vector<SloSpec> slos;  // report.slo
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Duration duration = 60 * kSecond;
  std::vector<std::string> geos;  // GeoId is the index
  NetworkSpec network;
  KeySpaceSpec keys;
  std::vector<ShardSpec> shards;
  MastersSpec masters;
  ShardMastersSpec shard_masters;
  SlavesSpec slaves;
  std::vector<CacheSpec> caches;  // indexed by GeoId
  LoadBalancerSpec slb;
  LoadBalancerSpec clb;
  ReplicationSpec replication;
  std::vector<FrontEndSpec> front_ends;  // indexed by GeoId
  std::vector<EdgeSpec> edges;           // indexed by GeoId
  AsyncPathSpec async_path;
  std::vector<GeoWorkloadSpec> workload;  // indexed by GeoId
  std::vector<FailureSpec> failures;
  FailoverSpec failover;
  DurabilitySpec sync_durability;   // "durability": {"sync_writes": ...}
  DurabilitySpec async_durability;  // "durability": {"async_writes": ...}
  ReportSpec report;

  // The effective scenario as JSON (after defaults and --set overrides), written into every run's
  // output next to the seed and the simulator's version.
  nlohmann::json effective;

  GeoId geo_id(const std::string& geo_name) const;  // throws std::out_of_range
};

}  // namespace shardsim
