// One lazy replication hop (an arrow of the seed diagram marked "lazy"): ships a shard's log from a
// source to one replica in batches.
//
// Every `batch_interval` the stream ships the entries the source has and the target has not been
// sent, at most `max_batch_entries` of them, as one message over the network (latency, and
// serialization at the link's bandwidth: entries x value size). A source that writes faster than
// max_batch_entries per interval, or a link too thin for the bytes, makes the lag grow: nothing is
// dropped. The first tick falls at a random phase in [0, interval) so hops do not tick in lockstep.
//
// The source is either the active global master (the log's end) or another replica (a shard
// master feeding its slaves: it can ship only what it has applied). A down source ships nothing;
// a down target loses what reaches it, and the stream resends from what the target has once it is
// back. Failover re-points a stream (new source) or retires it; batches already on the wire from
// before a re-pointing are discarded on arrival (an epoch number tells them apart).
//
// A target that lapsed (fell more than the log's retention behind, see ReplicationLog) cannot be
// sent batches: the stream ships it a snapshot of the shard instead, as one message of every key's
// value (key count x entry size) from a source that has not lapsed itself, then resumes shipping
// batches from the snapshot's position. A snapshot lost on the way is sent again.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "shardsim/kernel/simulation.h"
#include "shardsim/model/node.h"
#include "shardsim/model/replica.h"
#include "shardsim/model/replication_log.h"
#include "shardsim/net/network.h"
#include "shardsim/random/stream.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

// Where a stream reads from: the active master's node (ships the log's end while the node is up)
// or a replica (ships what it has applied while it is up).
struct StreamSource {
  const Node* master = nullptr;
  const Replica* replica = nullptr;
  GeoId geo = 0;

  static StreamSource active_master(const Node& node) { return StreamSource{&node, nullptr, node.geo()}; }
  static StreamSource from_replica(const Replica& r) { return StreamSource{nullptr, &r, r.geo()}; }
};

class ReplicationStream {
 public:
  // `generation` counts the streams built to feed `target` so far, this one included (1: the
  // stream of the initial wiring; 2 and up: built again by a failover). Each generation draws its
  // own random numbers: a feed built again after a promotion must not replay the first one's.
  ReplicationStream(Simulation& sim, Network& network, const ReplicationHopSpec& spec, ReplicationLog& log,
                    StreamSource source, Replica& target, std::uint32_t entry_bytes, std::uint64_t seed,
                    std::uint32_t generation = 1);
  ReplicationStream(const ReplicationStream&) = delete;
  ReplicationStream& operator=(const ReplicationStream&) = delete;

  void start();
  // Re-points the stream at another source; batches on the wire are discarded when they arrive and
  // shipping resumes from what the target has.
  void set_source(StreamSource source);
  // Forgets what was shipped but not applied (the log was cut, the target rolled back).
  void resync();
  // A retired stream ships nothing more (failover replaced it).
  void retire() { retired_ = true; }
  // A paused stream ships nothing until set_source: its source lost the role it fed from (a
  // replica whose master was failed over waits for the leader to re-point it).
  void pause() { paused_ = true; }
  bool paused() const { return paused_; }
  bool retired() const { return retired_; }

  Replica& target() { return target_; }
  const Replica& target() const { return target_; }
  const StreamSource& source() const { return source_; }
  std::uint64_t batches_shipped() const { return batches_; }
  std::uint64_t snapshots_shipped() const { return snapshots_; }
  std::uint64_t entries_shipped() const { return entries_; }
  // Entries the source has that the target has not applied yet.
  std::uint64_t backlog() const;

 private:
  LogPosition available() const { return source_.replica ? source_.replica->position() : log_.end(); }
  // The source can ship: it is up and holds a position in the log (it has not lapsed).
  bool source_can_ship() const;
  // The wait before the next batch: the hop's interval, spread by its batch_jitter.
  Duration next_interval();
  void tick(std::uint64_t unused);
  void ship_snapshot();
  void snapshot_arrived(std::uint64_t ticket);
  void snapshot_lost(std::uint64_t ticket);
  void arrive(std::uint64_t sequence);
  // A batch was lost on the way; the stream notices after the timeout and resends.
  void lost(std::uint64_t sequence);
  void settle_in_flight();

  Simulation& sim_;
  Network& network_;
  ReplicationHopSpec spec_;
  ReplicationLog& log_;
  StreamSource source_;
  Replica& target_;
  std::uint32_t entry_bytes_;
  RandomStream rng_;
  bool retired_ = false;
  bool paused_ = false;
  bool target_was_down_ = false;

  struct InFlight {
    LogPosition from, to;
    std::uint64_t epoch;
    bool arrived;
  };
  // Batches on the wire, by sequence number. After a re-pointing, batches travel on another link
  // and may overtake older ones, so arrivals are matched by sequence, not by order.
  std::deque<InFlight> in_flight_;
  std::uint64_t first_in_flight_ = 0;  // sequence number of in_flight_.front()
  std::uint64_t epoch_ = 0;
  LogPosition shipped_ = 0;
  std::uint64_t batches_ = 0;
  std::uint64_t entries_ = 0;
  std::uint64_t snapshots_ = 0;
};

}  // namespace shardsim
