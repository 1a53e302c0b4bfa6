// Runs the shardsim binary (built alongside the tests) and captures its exit code and output.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace shardsim::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

// `args` is appended to the binary's path as is (the caller quotes).
inline CommandResult run_shardsim(const std::string& args) {
  const std::string command = std::string(SHARDSIM_BINARY) + " " + args + " 2>&1";
  CommandResult result;
  std::FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// A fresh, empty directory under the system's temporary directory, private to this process (ctest
// runs test cases in parallel processes, and other build directories may run the same tests).
inline std::filesystem::path fresh_directory(const std::string& name) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("shardsim-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string source_path(const std::string& relative) {
  return std::string(SHARDSIM_SOURCE_DIR) + "/" + relative;
}

}  // namespace shardsim::testing
