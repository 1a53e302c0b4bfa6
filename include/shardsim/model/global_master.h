// active_master_global and passive_master_global: the global masters holding all keys.
//
// Writes commit only at the active master: a commit appends the write to its shard's replication
// log (the ordered history every other copy applies lazily). The passive master is a standby: one
// replica per shard, fed lazily from the active master. Which of the two is active is a role, so
// that failover can swap them: both hold a copy of every shard, detached from the logs while the
// master is active (the active master *is* the logs' end).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"
#include "shardsim/model/write_acknowledgement.h"

namespace shardsim {

class Consumers;

class GlobalMaster {
 public:
  GlobalMaster(ModelContext& context, const std::string& name, GeoId geo, bool active);
  void connect(Consumers* consumers) { consumers_ = consumers; }

  // A sync write from WRITE_SYNC: committed, then answered to the client.
  void arrive_sync(std::uint64_t id);
  // An async write from a message-queue consumer: committed, then confirmed to the consumer.
  void arrive_async(std::uint64_t id);

  bool active() const { return active_; }
  // Becomes the active master: its copies are the logs' end from now on.
  void promote();
  // Stops being the active master (fenced) and holds the logs' first positions[s] entries.
  void demote(const std::vector<LogPosition>& positions);
  // Crashes: the node rejects writes and drops those it held (their clients are told), and the
  // copies lose what they received but had not applied.
  void crash();
  void recover();
  // A master that lost its lease refuses writes (Patroni restarts it read-only) until it holds the
  // lease again, or is demoted.
  void refuse_writes(bool refuse) { refusing_writes_ = refuse; }
  bool refusing_writes() const { return refusing_writes_; }
  // An old master that is not fenced keeps taking writes after it lost the role, until it learns
  // of the new master: it answers them as committed, but they reach no log (divergent writes).
  void keep_taking_writes(bool keep) { unfenced_ = keep; }
  bool unfenced() const { return unfenced_; }
  Node& node() { return node_; }
  GeoId geo() const { return node_.geo(); }
  const std::string& name() const { return node_.name(); }
  // This master's copy of each shard (detached from the logs while active).
  std::vector<std::unique_ptr<Replica>>& copies() { return copies_; }
  std::uint64_t commits() const { return commits_; }

  // Answers a committed write: the client of a sync write, the consumer of an async one (called at
  // the commit, or by the write acknowledgement once enough copies have it).
  void answer(std::uint64_t job);
  // Fails a write to its client or consumer (rejected, or held when the master was lost).
  void fail_write(std::uint64_t job) { reject(job); }

 private:
  static constexpr std::uint64_t kAsync = WriteAcknowledgement::kAsyncJob;  // job tag of an async write
  void served(std::uint64_t job);
  bool refused_for_replicas(std::uint64_t job);
  void reject(std::uint64_t job);
  void trace_commit(std::uint32_t shard, LogPosition position, std::uint64_t job);

  ModelContext& ctx_;
  Node node_;
  bool active_;
  bool refusing_writes_ = false;
  bool unfenced_ = false;
  Consumers* consumers_ = nullptr;
  std::vector<std::unique_ptr<Replica>> copies_;
  std::uint64_t commits_ = 0;
};

}  // namespace shardsim
