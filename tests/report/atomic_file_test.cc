// Atomic report writes in a hostile directory (issue 20 items 5 and 6): planted links are never
// written through, and a target that is not a regular file is refused, not replaced.
#include "shardsim/report/atomic_file.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <sys/stat.h>
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

std::size_t entries_in(const fs::path& directory) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(directory), fs::directory_iterator()));
}

TEST_CASE("an atomic write leaves the content and nothing else", "[report][atomic_file]") {
  const fs::path dir = fresh_directory("atomic-plain");
  write_file_atomically((dir / "report.json").string(), "new");
  CHECK(read_file(dir / "report.json") == "new");
  write_file_atomically((dir / "report.json").string(), "newer");  // replaces a regular file
  CHECK(read_file(dir / "report.json") == "newer");
  CHECK(entries_in(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("links planted under the old temporary names are not written through", "[report][atomic_file]") {
  const fs::path dir = fresh_directory("atomic-planted");
  const fs::path victim = dir / "victim";
  write_text(victim, "precious");
  // The names the writer used to pick (<target>.tmp.<pid>) and a few neighbours.
  for (int pid = ::getpid() - 2; pid <= ::getpid() + 2; ++pid) {
    fs::create_symlink(victim, dir / ("report.json.tmp." + std::to_string(pid)));
  }
  write_file_atomically((dir / "report.json").string(), "report");
  CHECK(read_file(victim) == "precious");
  CHECK(read_file(dir / "report.json") == "report");
  CHECK(fs::is_regular_file(fs::symlink_status(dir / "report.json")));
  fs::remove_all(dir);
}

TEST_CASE("a target that is not a regular file is refused and kept", "[report][atomic_file]") {
  const fs::path dir = fresh_directory("atomic-special");
  const fs::path victim = dir / "victim";
  write_text(victim, "precious");
  fs::create_symlink(victim, dir / "link.json");
  REQUIRE(::mkfifo((dir / "fifo.jsonl").c_str(), 0600) == 0);
  fs::create_directory(dir / "sub");

  CHECK_THROWS_WITH(write_file_atomically((dir / "link.json").string(), "x"),
                    Catch::Contains("is a symbolic link") && Catch::Contains("link.json"));
  CHECK_THROWS_WITH(AtomicFileStream((dir / "fifo.jsonl").string()), Catch::Contains("is a FIFO"));
  CHECK_THROWS_WITH(write_file_atomically((dir / "sub").string(), "x"), Catch::Contains("is a directory"));
  CHECK_THROWS_WITH(write_file_atomically("/dev/null", "x"), Catch::Contains("is a character device"));

  CHECK(fs::is_symlink(dir / "link.json"));
  CHECK(fs::is_fifo(dir / "fifo.jsonl"));
  CHECK(read_file(victim) == "precious");
  CHECK(entries_in(dir) == 4);  // no temporary left behind
  fs::remove_all(dir);
}

TEST_CASE("a stream destroyed before commit leaves the target as it was", "[report][atomic_file]") {
  const fs::path dir = fresh_directory("atomic-discard");
  write_text(dir / "timeseries.csv", "old");
  {
    AtomicFileStream stream((dir / "timeseries.csv").string());
    stream.write("half a file");
  }
  CHECK(read_file(dir / "timeseries.csv") == "old");
  CHECK(entries_in(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("run --trace onto a FIFO is refused before the run", "[report][atomic_file][cli]") {
  const fs::path dir = fresh_directory("atomic-cli");
  REQUIRE(::mkfifo((dir / "trace.jsonl").c_str(), 0600) == 0);
  const auto result =
      testing::run_shardsim("run " + testing::source_path("scenarios/seed.json") +
                            " --set duration_s=1 --set report.warmup_s=0 --quiet --out " +
                            (dir / "out").string() + " --trace " + (dir / "trace.jsonl").string());
  CHECK(result.exit_code != 0);
  CHECK_THAT(result.out, Catch::Contains("trace.jsonl") && Catch::Contains("is a FIFO"));
  CHECK(fs::is_fifo(dir / "trace.jsonl"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shardsim
