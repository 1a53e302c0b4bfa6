#include "shardsim/scenario/scenario.h"

#include <algorithm>
#include <stdexcept>

namespace shardsim {

GeoId Scenario::geo_id(const std::string& geo_name) const {
  const auto it = std::find(geos.begin(), geos.end(), geo_name);
  if (it == geos.end()) throw std::out_of_range("unknown geo \"" + geo_name + "\"");
  return static_cast<GeoId>(it - geos.begin());
}

}  // namespace shardsim
