#include "shardsim/util/json_pointer.h"

namespace shardsim {

std::string escape_pointer_segment(std::string_view key) {
  std::string out;
  out.reserve(key.size());
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

std::string child_pointer(std::string_view parent, std::string_view key) {
  std::string out(parent);
  out += '/';
  out += escape_pointer_segment(key);
  return out;
}

}  // namespace shardsim
