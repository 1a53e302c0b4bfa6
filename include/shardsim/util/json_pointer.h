// JSON pointers (RFC 6901), as every error message and report path in shardsim spells them.
#pragma once

#include <string>
#include <string_view>

namespace shardsim {

// `key` escaped as one pointer segment: '~' becomes "~0" and '/' becomes "~1".
std::string escape_pointer_segment(std::string_view key);

// The pointer of member `key` of the value at `parent`: child_pointer("/geos", "a/b") is
// "/geos/a~1b".
std::string child_pointer(std::string_view parent, std::string_view key);

}  // namespace shardsim
