// The shardsim command line: one function per command, dispatched by main.cc.
// Exit codes: 0 success, 1 a run's check or gate failed, 2 bad usage or bad input, 3 an output
// could not be written (standard output or a file), 130 interrupted.
#pragma once

#include <string>
#include <vector>

namespace shardsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitOutputFailed = 3;
inline constexpr int kExitInterrupted = 130;

int run_command(const std::vector<std::string>& args);
int validate_command(const std::vector<std::string>& args);
int compare_command(const std::vector<std::string>& args);
int explain_command(const std::vector<std::string>& args);
int sweep_command(const std::vector<std::string>& args);
int merge_command(const std::vector<std::string>& args);
int report_command(const std::vector<std::string>& args);
int regions_command(const std::vector<std::string>& args);

}  // namespace shardsim::cli
