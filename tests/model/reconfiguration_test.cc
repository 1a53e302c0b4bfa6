// The model's reconfiguration operations, driven directly on a built deployment (no failure
// layer, no report): each must leave the boxes' own state consistent.
#include <catch2/catch.hpp>

#include "shardsim/model/reconfiguration.h"
#include "shardsim/model/topology.h"
#include "support/test_scenarios.h"

using shardsim::kSecond;
using shardsim::Reconfiguration;
using shardsim::Replica;
using shardsim::ReplicaRole;
using shardsim::Topology;
using shardsim::testing::test_scenario;

namespace {

// The slave of `shard` in geo `geo` (the test deployment has one per shard and geo).
shardsim::ShardSlave& slave_of(Topology& t, std::uint32_t shard, shardsim::GeoId geo) {
  for (auto& slave : t.slaves)
    if (slave->shard() == shard && slave->geo() == geo) return *slave;
  FAIL("no such slave");
  throw;
}

// The base test deployment, built and run for `seconds` before the test reconfigures it.
struct Deployment {
  explicit Deployment(std::int64_t seconds) : t(scenario), reconfigure(t) {
    t.start();
    if (seconds > 0) t.sim.run_until(seconds * kSecond);
  }
  const shardsim::Scenario scenario = test_scenario(nlohmann::json::object());
  Topology t;
  Reconfiguration reconfigure;
};

}  // namespace

TEST_CASE("Reconfiguration: a slave replaces its shard's leader and the old leader follows it") {
  Deployment d(2);
  Topology& t = d.t;
  Reconfiguration& reconfigure = d.reconfigure;
  const shardsim::GeoId west = 1;
  shardsim::ShardSlave& slave = slave_of(t, 0, west);
  Replica& promoted = slave.replica();
  Replica& old_leader = *t.shard_leaders[0];
  REQUIRE(t.geos[west].slb->ring(0).contains(slave.id()));

  Replica& returned = reconfigure.replace_shard_leader(0, promoted);

  CHECK(&returned == &old_leader);
  CHECK(t.shard_leaders[0] == &promoted);
  CHECK(promoted.role() == ReplicaRole::kShardMaster);
  CHECK(old_leader.role() == ReplicaRole::kShardSlave);
  CHECK_FALSE(t.geos[west].slb->ring(0).contains(slave.id()));  // no read reaches a master
  REQUIRE(t.stream_to(old_leader) != nullptr);
  CHECK(t.stream_to(old_leader)->source().replica == &promoted);
  // A promoted slave is no read slave: draining it again does nothing.
  CHECK_FALSE(reconfigure.drain_slave(slave.id()));

  // The shard keeps replicating through its new leader: every copy catches up with the log.
  t.sim.run_until(6 * kSecond);
  const auto end = t.context.logs[0]->end();
  CHECK(promoted.position() > 0);
  CHECK(end - promoted.position() < end / 4 + 20);
  CHECK(end - old_leader.position() < end / 4 + 20);
}

TEST_CASE("Reconfiguration: promoting the standby cuts the logs to what it applied") {
  Deployment d(2);
  Topology& t = d.t;
  Reconfiguration& reconfigure = d.reconfigure;
  shardsim::GlobalMaster& old_active = t.masters->active();
  shardsim::GlobalMaster& standby = t.masters->standby();
  CHECK_FALSE(reconfigure.standby_unpromotable().has_value());
  std::vector<shardsim::LogPosition> standby_at;
  std::uint64_t held = 0;
  for (auto& copy : standby.copies()) standby_at.push_back(copy->position());
  for (std::uint32_t shard = 0; shard < t.context.logs.size(); ++shard)
    held += t.context.logs[shard]->end() - standby_at[shard];

  const shardsim::WriteLoss loss = reconfigure.promote_standby();

  CHECK(loss.writes == held);  // exactly what the standby had not applied
  for (std::uint32_t shard = 0; shard < t.context.logs.size(); ++shard)
    CHECK(t.context.logs[shard]->end() == standby_at[shard]);
  CHECK(&t.masters->active() == &standby);
  CHECK(&t.masters->standby() == &old_active);
  CHECK(standby.active());
  CHECK_FALSE(old_active.active());
  // Until a geo's route is re-pointed, it still writes to the old master; then to the new one.
  CHECK_FALSE(t.masters->view_current(0));
  reconfigure.repoint_write_route(0);
  CHECK(t.masters->view_current(0));
  CHECK(reconfigure.active_master_name() == standby.name());
}

TEST_CASE("Reconfiguration: a standby that is down cannot be promoted, and says why") {
  Deployment d(1);
  Topology& t = d.t;
  Reconfiguration& reconfigure = d.reconfigure;
  t.masters->standby().crash();
  const auto why = reconfigure.standby_unpromotable();
  REQUIRE(why.has_value());
  CHECK(*why == "the standby is down");
}

TEST_CASE("Reconfiguration: a drained slave leaves its SLB ring and a restored one rejoins it") {
  Deployment d(0);
  Topology& t = d.t;
  Reconfiguration& reconfigure = d.reconfigure;
  shardsim::ShardSlave& slave = slave_of(t, 1, 0);
  REQUIRE(reconfigure.drain_slave(slave.id()));
  CHECK_FALSE(t.geos[0].slb->ring(1).contains(slave.id()));
  CHECK(t.geos[0].slb->healthy_slaves(1) == 0);
  REQUIRE(reconfigure.restore_slave(slave.id()));
  CHECK(t.geos[0].slb->ring(1).contains(slave.id()));
}

TEST_CASE("Reconfiguration: a feed built again draws fresh numbers, not a replay of the first one's") {
  // A failover that builds a new stream to a replica must not replay the old stream's random
  // numbers (issue 20): the first tick would fall at the same phase after every promotion.
  const shardsim::Scenario scenario = test_scenario(nlohmann::json::object());
  Topology t(scenario);  // not started: the queue holds only what the streams below schedule
  REQUIRE(t.sim.pending() == 0);
  shardsim::ShardSlave& slave = slave_of(t, 0, 1);
  const auto first_tick = [&t](shardsim::ReplicationStream& stream) {
    stream.start();
    REQUIRE(t.sim.pending() == 1);
    return t.sim.queue().pop().time;
  };
  shardsim::ReplicationStream& first = *t.stream_to(slave.replica());
  const shardsim::StreamSource source = first.source();
  const auto& hop = scenario.replication.shard_master_to_slave;
  const shardsim::Time phase1 = first_tick(first);
  first.retire();
  shardsim::ReplicationStream& second = t.add_stream(hop, source, slave.replica());
  const shardsim::Time phase2 = first_tick(second);
  second.retire();
  shardsim::ReplicationStream& third = t.add_stream(hop, source, slave.replica());
  const shardsim::Time phase3 = first_tick(third);
  // Phases are drawn from [0, 10 ms) in whole ns: equal by chance about once in 10^7 pairs.
  CHECK(phase1 != phase2);
  CHECK(phase2 != phase3);
  CHECK(phase1 != phase3);
}
