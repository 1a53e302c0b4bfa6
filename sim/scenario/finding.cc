#include "scenario/finding.h"

namespace shardsim::scenario_internal {

std::string child_pointer(const std::string& parent, std::string_view key) {
  std::string out = parent;
  out += '/';
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child_pointer(const std::string& parent, std::size_t index) {
  return parent + '/' + std::to_string(index);
}

bool pointer_within(std::string_view pointer, std::string_view ancestor) {
  if (!pointer.starts_with(ancestor)) return false;
  return pointer.size() == ancestor.size() || pointer[ancestor.size()] == '/';
}

}  // namespace shardsim::scenario_internal
