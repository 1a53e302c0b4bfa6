// The whole simulated deployment, built from a scenario: every box of the seed diagram, wired the
// way the diagram draws its arrows. This is the one place where boxes learn their neighbours.
//
//   client(geo) -> DNS -> CDN edge -> API gateway -> READ_API -> CLB -> cache node
//                                                          \-> SLB -> shard slave (cache miss)
//                                                 -> WRITE_SYNC -> active_master_global
//                                                 -> WRITE_ASYNC -> scheduler -> message queue
//                                                      -> consumers -> active_master_global + object store
//   active_master_global --lazy--> passive_master_global, shard_master_global[i]
//   shard_master_global[i] --lazy--> shard_slave_<geo>[i]
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/api_gateway.h"
#include "shardsim/model/cdn.h"
#include "shardsim/model/clb.h"
#include "shardsim/model/client.h"
#include "shardsim/model/consumer.h"
#include "shardsim/model/context.h"
#include "shardsim/model/dns.h"
#include "shardsim/model/global_master.h"
#include "shardsim/model/key_space.h"
#include "shardsim/model/master_directory.h"
#include "shardsim/model/message_queue.h"
#include "shardsim/model/metrics.h"
#include "shardsim/model/min_replicas.h"
#include "shardsim/model/read_api.h"
#include "shardsim/model/replication_stream.h"
#include "shardsim/model/scheduler.h"
#include "shardsim/model/shard_master.h"
#include "shardsim/model/shard_slave.h"
#include "shardsim/model/slb.h"
#include "shardsim/model/write_acknowledgement.h"
#include "shardsim/model/write_async.h"
#include "shardsim/model/write_sync.h"
#include "shardsim/net/network.h"

namespace shardsim {

// The boxes of one geo's front end.
struct GeoFrontEnd {
  std::unique_ptr<ApiGateway> gateway;
  std::unique_ptr<ReadApi> read_api;
  std::unique_ptr<WriteSync> write_sync;
  std::unique_ptr<WriteAsync> write_async;
  std::unique_ptr<CdnEdge> cdn;
  std::unique_ptr<Dns> dns;
  std::unique_ptr<Clb> clb;
  std::unique_ptr<Slb> slb;
};

class Topology {
 public:
  explicit Topology(const Scenario& scenario);
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  // Starts the clients and the replication streams.
  void start();

  // Replication wiring, for the builder and for failover: a stream from `source` to `target`.
  ReplicationStream& add_stream(const ReplicationHopSpec& hop, StreamSource source, Replica& target);
  // The live (not retired) stream feeding `target`, or null.
  ReplicationStream* stream_to(const Replica& target);
  // The live streams that read from `source`.
  std::vector<ReplicationStream*> streams_from(const Replica& source);
  // The live streams that read from the active master.
  std::vector<ReplicationStream*> streams_from_master();
  std::vector<ReplicationStream*> streams_of_shard(std::uint32_t shard);

  // Every finite-capacity node, in a fixed order (for the report).
  std::vector<Node*> nodes();
  // Every copy of every shard, in a fixed order: standby copies, the active master's copies, shard
  // masters, then slaves.
  std::vector<Replica*> replicas();

  const Scenario& scenario;
  Simulation sim;
  KeySpace keys;
  Network network;
  Metrics metrics;
  RequestPool requests;
  ModelContext context;

  std::unique_ptr<GlobalMaster> active_master;
  std::unique_ptr<GlobalMaster> passive_master;
  std::unique_ptr<MasterDirectory> masters;
  std::vector<std::unique_ptr<ShardMaster>> shard_masters;  // by shard
  std::vector<std::unique_ptr<ShardSlave>> slaves;          // by slave id
  std::unique_ptr<MessageQueue> queue;
  std::unique_ptr<Consumers> consumers;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<WriteAcknowledgement> acknowledgement;  // null unless a write path waits for copies
  std::unique_ptr<MinReplicas> min_replicas;              // null unless min-replicas-to-write is on
  std::vector<GeoFrontEnd> geos;
  std::unique_ptr<Clients> clients;
  // Every stream ever built, retired ones included (the report lists them all).
  std::vector<std::unique_ptr<ReplicationStream>> streams;
  // The replica leading each shard now (the shard master, or the slave promoted in its place).
  std::vector<Replica*> shard_leaders;

 private:
  void build_masters();
  void build_async_path();
  void build_front_ends();
  void build_slaves();
  void build_streams();
  void wire();
  void wire_acknowledgement();
  // The streams not known to be retired, in creation order. Lookups walk this list, not `streams`,
  // and drop the streams retired since the last walk: a storm of failovers (each retires and adds
  // a stream per shard) would otherwise make every lookup walk every stream ever built.
  const std::vector<ReplicationStream*>& live_streams();
  std::vector<ReplicationStream*> live_;
  // Streams built so far to each target, by its name: the generation of the next one.
  std::map<std::string, std::uint32_t> feeds_built_;
  bool started_ = false;
  std::uint32_t entry_bytes_;
};

}  // namespace shardsim
