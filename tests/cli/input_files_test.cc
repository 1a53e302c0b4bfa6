// Every file a command reads is checked before it is read (issue 20 item 2): /dev/zero, a FIFO or
// a directory is refused with the file's name, instead of an endless read, a hang or an OOM.
#include <filesystem>
#include <string>

#include <sys/stat.h>
#include <catch2/catch.hpp>

#include "support/run_binary.h"

namespace {

using shardsim::testing::run_shardsim;
using shardsim::testing::source_path;

}  // namespace

TEST_CASE("compare, sweep and merge refuse inputs that are not regular files", "[cli][input]") {
  const auto dir = shardsim::testing::fresh_directory("inputs");
  const std::string fifo = (dir / "fifo").string();
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const std::string report = dir.string();  // a directory
  for (const std::string& bad : {std::string("/dev/zero"), fifo, report}) {
    INFO(bad);
    const auto compare = run_shardsim("compare " + bad + " " + bad);
    CHECK(compare.exit_code == 2);
    CHECK_THAT(compare.out, Catch::Contains(bad + ": cannot read the file: not a regular file"));
    const auto list = run_shardsim("sweep " + bad + " --list");
    CHECK(list.exit_code == 2);
    CHECK_THAT(list.out, Catch::Contains("not a regular file"));
    const auto merge =
        run_shardsim("merge " + dir.string() + " --sweep " + bad + " --out " + (dir / "m").string());
    CHECK(merge.exit_code == 2);
    CHECK_THAT(merge.out, Catch::Contains("not a regular file"));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("a missing input is named as missing", "[cli][input]") {
  const auto result = run_shardsim("compare /no/such/report.json " + source_path("scenarios/seed.json"));
  CHECK(result.exit_code == 2);
  CHECK_THAT(result.out, Catch::Contains("/no/such/report.json: cannot read the file: no such file"));
}
