#include "scenario/finding.h"

#include "shardsim/util/json_pointer.h"

namespace shardsim::scenario_internal {

std::string child_pointer(const std::string& parent, std::string_view key) {
  return shardsim::child_pointer(parent, key);
}

std::string child_pointer(const std::string& parent, std::size_t index) {
  return parent + '/' + std::to_string(index);
}

bool pointer_within(std::string_view pointer, std::string_view ancestor) {
  if (!pointer.starts_with(ancestor)) return false;
  return pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/';
}

}  // namespace shardsim::scenario_internal
