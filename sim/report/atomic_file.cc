#include "shardsim/report/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <stdexcept>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace shardsim {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw std::runtime_error("cannot write " + path + ": " + reason);
}

// What a non-regular file is, for the message that refuses to replace it.
const char* kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The target may be absent or a regular file: replacing a device, FIFO or link with a regular
// file would destroy it (--trace /dev/full, run as root, made /dev/full a file).
void check_target(const std::string& path) {
  struct stat status {};
  if (::lstat(path.c_str(), &status) != 0) {
    if (errno == ENOENT) return;
    fail(path, std::strerror(errno));
  }
  if (!S_ISREG(status.st_mode)) {
    fail(path, fmt::format("it is {}; shardsim writes only regular files (name a new file instead)",
                           kind_of(status.st_mode)));
  }
}

// Creates a fresh temporary next to `path`, by name, with O_EXCL and O_NOFOLLOW: a file or link
// planted under any name we might pick makes the open fail (and we draw another name), never
// writes through it. The name's suffix is random (not reported anywhere, so determinism is
// untouched) so that planting cannot be aimed.
int create_temporary(const std::string& path, std::string& temporary) {
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::uint64_t suffix = (std::uint64_t{entropy()} << 32) ^ entropy();
    temporary = fmt::format("{}.tmp.{:016x}", path, suffix);
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (errno != EEXIST) fail(path, std::strerror(errno));
  }
  fail(path, "no unused temporary name next to it after 100 tries");
}

// fsync before the rename: after a crash the target is the old file or the whole new one.
bool flush_and_close(std::FILE* file) {
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  return flushed && closed;
}

// fsync the directory after the rename, so that the new name itself survives a crash.
void sync_directory_of(const std::string& path) {
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  if (directory.empty()) directory = ".";
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the rename happened; a directory we cannot open cannot be synced
  ::fsync(fd);
  ::close(fd);
}

void rename_into_place(const std::string& temporary, const std::string& path) {
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    fail(path, error.message());
  }
  sync_directory_of(path);
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFileStream stream(path);
  stream.write(content);
  stream.commit();
}

AtomicFileStream::AtomicFileStream(std::string path) : path_(std::move(path)) {
  check_target(path_);
  const int fd = create_temporary(path_, temporary_);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    std::remove(temporary_.c_str());
    fail(path_, reason);
  }
}

AtomicFileStream::~AtomicFileStream() {
  discard();
}

void AtomicFileStream::commit() {
  finish();
  publish();
}

void AtomicFileStream::finish() {
  if (finished_ || settled_) return;
  const bool written = std::ferror(file_) == 0;
  const bool closed = flush_and_close(file_);
  file_ = nullptr;
  if (!written || !closed) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary_.c_str());
    settled_ = true;
    fail(path_, reason);
  }
  finished_ = true;
}

void AtomicFileStream::publish() {
  finish();
  settled_ = true;
  try {
    check_target(path_);  // again: it may have been replaced by a link or FIFO while we wrote
  } catch (...) {
    std::remove(temporary_.c_str());
    throw;
  }
  rename_into_place(temporary_, path_);
}

void AtomicFileStream::discard() {
  if (settled_) return;
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  std::remove(temporary_.c_str());
  settled_ = true;
}

}  // namespace shardsim
