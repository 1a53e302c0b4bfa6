// Which global master is active, as the front ends and the async consumers see it. Failover
// changes it; the boxes that route writes ask it at the moment they send.
#pragma once

#include "shardsim/model/global_master.h"

namespace shardsim {

class MasterDirectory {
 public:
  MasterDirectory(GlobalMaster& active, GlobalMaster& standby) : active_(&active), standby_(&standby) {}
  GlobalMaster& active() { return *active_; }
  GlobalMaster& standby() { return *standby_; }
  // Swaps the roles (promotion of the standby).
  void promote_standby() { std::swap(active_, standby_); }

 private:
  GlobalMaster* active_;
  GlobalMaster* standby_;
};

}  // namespace shardsim
