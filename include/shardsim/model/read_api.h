// READ_API of a geo: cache-aside reads. Asks the geo's CLB which cache node holds the key and reads
// it; on a hit answers; on a miss reads a shard slave chosen by the geo's SLB, answers, then fills
// the cache. A geo without cache nodes reads the slaves directly. Reads never leave the client's
// geo and never reach a master.
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"

namespace shardsim {

class Clb;
class Slb;
class ShardSlave;

class ReadApi {
 public:
  ReadApi(ModelContext& context, GeoId geo);
  void connect(Clb* clb, Slb* slb, std::vector<ShardSlave*> slaves_by_id);
  void arrive(std::uint64_t id);
  // The cache node's answer (hit or miss) arrives back here.
  void on_cache_answer(std::uint64_t id);
  // The slave's answer arrives back here.
  void on_slave_answer(std::uint64_t id);
  // The slave's queue was full: the read fails.
  void on_slave_rejected(std::uint64_t id);
  Node& node() { return node_; }

 private:
  void served(std::uint64_t id);
  void read_from_slave(std::uint32_t id);

  ModelContext& ctx_;
  GeoId geo_;
  Node node_;
  Clb* clb_ = nullptr;
  Slb* slb_ = nullptr;
  std::vector<ShardSlave*> slaves_;  // all slaves, by id (the SLB answers with an id)
};

}  // namespace shardsim
