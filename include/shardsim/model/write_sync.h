// WRITE_SYNC of a geo: forwards a write to the active global master (wherever it is) and the
// client is answered after the commit. While no master accepts writes, sync writes fail.
#pragma once

#include <cstdint>

#include "shardsim/model/context.h"
#include "shardsim/model/node.h"

namespace shardsim {

class MasterDirectory;

class WriteSync {
 public:
  WriteSync(ModelContext& context, GeoId geo, MasterDirectory& masters);
  void arrive(std::uint64_t id);
  Node& node() { return node_; }

 private:
  void served(std::uint64_t id);

  ModelContext& ctx_;
  GeoId geo_;
  Node node_;
  MasterDirectory& masters_;
};

}  // namespace shardsim
