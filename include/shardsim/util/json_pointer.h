// JSON pointers (RFC 6901), as every error message, override and report path in shardsim spells
// them. This is the one implementation: the loader's checks, --set overrides, sweeps and
// `shardsim compare` all split, escape and follow pointers here, so "~2" or "/a/01" means the same
// (an error, a miss) everywhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace shardsim {

// `key` escaped as one pointer segment: '~' becomes "~0" and '/' becomes "~1".
std::string escape_pointer_segment(std::string_view key);

// The pointer of member `key` of the value at `parent`: child_pointer("/geos", "a/b") is
// "/geos/a~1b".
std::string child_pointer(std::string_view parent, std::string_view key);
// The pointer of item `index` of the array at `parent`: child_pointer("/failures", 2) is
// "/failures/2".
std::string child_pointer(std::string_view parent, std::size_t index);

// True when `pointer` is `ancestor` or lies below it ("/a/b" is within "/a", "/ab" is not).
bool pointer_within(std::string_view pointer, std::string_view ancestor);

// The unescaped segments of `pointer`: "" (the whole document) gives none, "/a~1b/0" gives
// {"a/b", "0"}. nullopt if `pointer` is not a pointer: it does not start with '/', or a '~' is not
// followed by '0' or '1'.
std::optional<std::vector<std::string>> split_json_pointer(std::string_view pointer);

// The array index a segment names: digits only, no leading zero ("0" but not "01"), and no
// overflow. nullopt otherwise (RFC 6901 section 4).
std::optional<std::size_t> pointer_index(std::string_view segment);

// The member `segment` of an object, or the item it indexes in an array; nullptr if there is none
// (or `node` is a scalar or nullptr).
const nlohmann::json* pointer_child(const nlohmann::json* node, std::string_view segment);

// The value `pointer` names in `document`; nullptr if there is none or `pointer` is malformed.
const nlohmann::json* value_at(const nlohmann::json& document, std::string_view pointer);

}  // namespace shardsim
