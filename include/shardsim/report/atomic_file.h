// Writes a file atomically: the content goes to a temporary file in the same directory, which is
// then renamed over the target. A reader (or an interrupted run) never sees half a file.
#pragma once

#include <string>
#include <string_view>

namespace shardsim {

// Throws std::runtime_error with the path and the reason on failure.
void write_file_atomically(const std::string& path, std::string_view content);

}  // namespace shardsim
