// Reading a file a user names (a scenario, a sweep, a report): it must be a regular file no larger
// than the reader's limit, checked before a byte is read, so that /dev/zero, a FIFO or a directory
// gives a clear error instead of an endless read, a hang or an exhausted memory.
#pragma once

#include <cstdint>
#include <string>

namespace shardsim {

// Limits of the files shardsim reads (a scenario's is in scenario/limits.h).
inline constexpr std::uint64_t kMaxReportFileBytes = 1024ULL * 1024 * 1024;  // report.json
inline constexpr std::uint64_t kMaxSpecFileBytes = 64ULL * 1024 * 1024;      // sweep files

struct InputFile {
  std::string text;
  // Empty when the file was read; otherwise why not, in the loader's wording: "cannot read the
  // file: not a regular file", "limit exceeded: at most N bytes in a KIND, found M".
  std::string error;
};

// `kind` names the file in a limit message ("scenario file", "report").
InputFile read_input_file(const std::string& path, std::uint64_t max_bytes, const std::string& kind);

}  // namespace shardsim
