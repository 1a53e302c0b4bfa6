// What every box of the model shares: the clock, the network, the recorder, the requests in
// flight, the scenario and the key space. Boxes know their neighbours through pointers set once by
// the topology builder (sim/model/topology.cc), the one place where the diagram is wired.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/key_space.h"
#include "shardsim/model/metrics.h"
#include "shardsim/model/replication_log.h"
#include "shardsim/model/request.h"
#include "shardsim/model/trace_sink.h"
#include "shardsim/net/network.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class Clients;
class MinReplicas;
class WriteAcknowledgement;

// Told about every write's fate, whatever the warm-up (failover timings need all of them).
class WriteObserver {
 public:
  virtual ~WriteObserver() = default;
  virtual void on_commit(Time now, Time issued, bool async) = 0;
  virtual void on_sync_write_failed(Time now) = 0;
  // An old master left unfenced after a failover accepted a write the new master will never have.
  virtual void on_divergent_write(Time /*now*/) {}
  // A global master taking writes began to refuse them for want of good replicas
  // (min-replicas-to-write), or takes them again.
  virtual void on_min_replicas(Time /*now*/, const std::string& /*master*/, bool /*refusing*/,
                               const std::string& /*detail*/) {}
};

struct ModelContext {
  Simulation& sim;
  Network& network;
  Metrics& metrics;
  RequestPool& requests;
  const Scenario& scenario;
  const KeySpace& keys;
  Clients* clients = nullptr;
  WriteObserver* write_observer = nullptr;
  WriteAcknowledgement* acknowledgement = nullptr;    // null: every write is answered at its commit
  MinReplicas* min_replicas = nullptr;                // null: min-replicas-to-write is off
  TraceSink* trace = nullptr;                         // the --trace file, or null
  std::vector<std::unique_ptr<ReplicationLog>> logs;  // one per shard: the active master's history

  ReplicationLog& log_of(std::uint64_t key_index) { return *logs[keys.shard_of(key_index)]; }

  std::uint64_t message_bytes() const { return scenario.network.message_bytes; }
  // A sub-seed for a component's stream: all streams derive from the scenario seed by name.
  std::uint64_t seed() const { return scenario.seed; }
};

}  // namespace shardsim
