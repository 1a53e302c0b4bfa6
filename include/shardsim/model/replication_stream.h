// One lazy replication hop (an arrow of the seed diagram marked "lazy"): ships a shard's log from a
// source to one replica in batches.
//
// Every `batch_interval` the stream ships the entries the source has and the target has not been
// sent, at most `max_batch_entries` of them, as one message over the network (latency, and
// serialization at the link's bandwidth: entries x value size). A source that writes faster than
// max_batch_entries per interval, or a link too thin for the bytes, makes the lag grow: nothing is
// dropped. The first tick falls at a random phase in [0, interval) so hops do not tick in lockstep.
//
// The source is either the active master itself (the log's end) or another replica (a shard master
// feeding its slaves: it can ship only what it has applied).
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/replica.h"
#include "shardsim/model/replication_log.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

class ReplicationStream {
 public:
  // `source` null: the stream ships from the log's end (the active global master's commits).
  ReplicationStream(Simulation& sim, Network& network, const ReplicationHopSpec& spec, ReplicationLog& log,
                    const Replica* source, GeoId source_geo, Replica& target, std::uint32_t entry_bytes,
                    std::uint64_t seed);
  ReplicationStream(const ReplicationStream&) = delete;
  ReplicationStream& operator=(const ReplicationStream&) = delete;

  void start();
  // Re-points the stream at another source (failover), resuming from what the target received.
  void set_source(const Replica* source, GeoId source_geo);
  // A paused stream ships nothing (its source or its target is down).
  void set_paused(bool paused) { paused_ = paused; }

  Replica& target() { return target_; }
  const Replica* source() const { return source_; }
  std::uint64_t batches_shipped() const { return batches_; }
  std::uint64_t entries_shipped() const { return entries_; }
  // Entries the source has that the target has not applied yet.
  std::uint64_t backlog() const;

 private:
  LogPosition available() const { return source_ ? source_->position() : log_.end(); }
  void tick(std::uint64_t unused);
  void arrive(std::uint64_t unused);

  Simulation& sim_;
  Network& network_;
  ReplicationHopSpec spec_;
  ReplicationLog& log_;
  const Replica* source_;
  GeoId source_geo_;
  Replica& target_;
  std::uint32_t entry_bytes_;
  RandomStream rng_;
  bool paused_ = false;

  struct InFlight {
    LogPosition from, to;
  };
  std::deque<InFlight> in_flight_;  // links deliver in order, so arrivals pop the front
  LogPosition shipped_ = 0;
  std::uint64_t batches_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace shardsim
