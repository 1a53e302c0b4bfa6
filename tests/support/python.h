// Running the project's Python tools (tools/*.py) from tests.
#pragma once

#include <cstdlib>
#include <string>

#include <sys/wait.h>

namespace shardsim::testing {

// Runs a shell command; its exit code, or -1 if it did not exit normally.
inline int shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The first interpreter that can import matplotlib (a pyenv `python3` may lack the Debian one's
// packages), or "" for none.
inline std::string python_with_matplotlib() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    if (shell(std::string(python) + " -c 'import matplotlib' >/dev/null 2>&1") == 0) return python;
  }
  return "";
}

}  // namespace shardsim::testing
