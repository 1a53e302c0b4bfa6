// The process around a command (issue 20 item 10): a write error on standard output is an error,
// and SIGHUP (a closed terminal) stops a run as cleanly as Ctrl-C.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "support/run_binary.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;

// Starts the binary with `args`, standard output on `stdout_path`, standard error discarded.
pid_t spawn_shardsim(std::vector<std::string> args, const char* stdout_path) {
  args.insert(args.begin(), SHARDSIM_BINARY);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, stdout_path, O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// The exit code, or -signal when the process was killed by a signal.
int wait_for(pid_t pid) {
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1000;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

int run_into_full_disk(std::vector<std::string> args) {
  const pid_t pid = spawn_shardsim(std::move(args), "/dev/full");
  REQUIRE(pid > 0);
  return wait_for(pid);
}

bool any_temporary_in(const fs::path& directory) {
  for (const auto& entry : fs::directory_iterator(directory)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("a write error on standard output exits 3", "[cli][stdout]") {
  const std::string seed = shardsim::testing::source_path("scenarios/seed.json");
  CHECK(run_into_full_disk({"--version"}) == 3);
  CHECK(run_into_full_disk({"explain", seed}) == 3);
  CHECK(run_into_full_disk({"run", seed, "--set", "duration_s=20", "--json"}) == 3);
  // The same commands succeed when standard output can be written.
  const pid_t pid = spawn_shardsim({"explain", seed}, "/dev/null");
  REQUIRE(pid > 0);
  CHECK(wait_for(pid) == 0);
}

TEST_CASE("SIGHUP stops a run like Ctrl-C: exit 130, nothing written, no temporary left", "[cli][signals]") {
  const fs::path out = shardsim::testing::fresh_directory("sighup");
  const pid_t pid = spawn_shardsim(
      {"run", shardsim::testing::source_path("scenarios/seed.json"), "--set", "duration_s=100000", "--quiet",
       "--out", out.string(), "--trace", (out / "trace.jsonl").string()},
      "/dev/null");
  REQUIRE(pid > 0);
  // Wait until the run is under way (its streamed outputs' temporaries exist), at most 30 s.
  for (int i = 0; i < 300 && !any_temporary_in(out); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  REQUIRE(any_temporary_in(out));
  ::kill(pid, SIGHUP);
  CHECK(wait_for(pid) == 130);
  CHECK_FALSE(any_temporary_in(out));
  CHECK_FALSE(fs::exists(out / "report.json"));
  CHECK_FALSE(fs::exists(out / "trace.jsonl"));
  fs::remove_all(out);
}
