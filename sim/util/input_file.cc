#include "shardsim/util/input_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace shardsim {

InputFile read_input_file(const std::string& path, std::uint64_t max_bytes, const std::string& kind) {
  InputFile file;
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    file.error = std::filesystem::exists(path, error) ? "cannot read the file: not a regular file"
                                                      : "cannot read the file: no such file";
    return file;
  }
  const auto size = std::filesystem::file_size(path, error);
  if (!error && size > max_bytes) {
    file.error = fmt::format("limit exceeded: at most {} bytes in a {}, found {}", max_bytes, kind, size);
    return file;
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) {
    file.error = fmt::format("cannot read the file: {}", std::strerror(errno));
    return file;
  }
  file.text = text.str();
  return file;
}

}  // namespace shardsim
