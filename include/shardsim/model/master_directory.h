// Which global master is active: the truth, and what each geo's front end (and the async path's
// consumers) believe. Failover changes the truth at promotion; each geo's view follows when the
// news reaches it (see failure/failover.h). Writes are routed by the view, so a geo that has not
// heard yet keeps sending to the old master, and those writes fail.
#pragma once

#include <utility>
#include <vector>

#include "shardsim/model/global_master.h"

namespace shardsim {

class MasterDirectory {
 public:
  MasterDirectory(GlobalMaster& active, GlobalMaster& standby, std::size_t geos)
      : active_(&active), standby_(&standby), views_(geos, &active) {}

  GlobalMaster& active() { return *active_; }
  GlobalMaster& standby() { return *standby_; }
  // The master geo `geo` routes writes to.
  GlobalMaster& active_for(GeoId geo) { return *views_[geo]; }

  // Swaps the roles (promotion of the standby); the views do not change yet.
  void promote_standby() { std::swap(active_, standby_); }
  // `geo` learns who the active master is now.
  void update_view(GeoId geo) { views_[geo] = active_; }
  bool view_current(GeoId geo) const { return views_[geo] == active_; }

 private:
  GlobalMaster* active_;
  GlobalMaster* standby_;
  std::vector<GlobalMaster*> views_;
};

}  // namespace shardsim
