// A run's outputs appear together or not at all (issue 20 item 9): a write error on any of them
// (a full disk) leaves every target as it was, the previous run's set whole.
#include "shardsim/report/output_set.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include "support/run_binary.h"

namespace shardsim {
namespace {

namespace fs = std::filesystem;
using testing::fresh_directory;
using testing::read_file;

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_CASE("an output set puts every file into place", "[report][output_set]") {
  const fs::path dir = fresh_directory("set-ok");
  write_text(dir / "report.json", "old report");
  AtomicFileStream streamed((dir / "timeseries.csv").string());
  streamed.write("t,x\n");
  OutputSet set;
  set.add((dir / "report.json").string(), "new report");
  set.add((dir / "scenario.effective.json").string(), "new scenario");
  set.include(streamed);
  set.commit();
  CHECK(read_file(dir / "report.json") == "new report");
  CHECK(read_file(dir / "scenario.effective.json") == "new scenario");
  CHECK(read_file(dir / "timeseries.csv") == "t,x\n");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 3);
  fs::remove_all(dir);
}

TEST_CASE("a write error on one file of the set leaves every target as it was", "[report][output_set]") {
  const fs::path dir = fresh_directory("set-full");
  write_text(dir / "report.json", "old report");
  write_text(dir / "scenario.effective.json", "old scenario");
  // A child process whose files may not exceed 64 KiB stands in for a disk that fills up while
  // the set is written: the small report fits, the large scenario does not (EFBIG).
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{64 * 1024, 64 * 1024};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    OutputSet set;
    set.add((dir / "report.json").string(), "new report");
    set.add((dir / "scenario.effective.json").string(), std::string(1 << 20, 'x'));
    try {
      set.commit();
    } catch (const std::runtime_error&) {
      ::_exit(0);  // refused, as it must be
    }
    ::_exit(1);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file(dir / "report.json") == "old report");  // not the new one beside an old scenario
  CHECK(read_file(dir / "scenario.effective.json") == "old scenario");
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 2);  // no temporary
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shardsim
