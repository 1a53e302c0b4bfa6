#include "shardsim/report/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <unistd.h>

namespace shardsim {

namespace {

std::string temporary_name(const std::string& path) {
  return path + ".tmp." + std::to_string(::getpid());
}

// fsync before the rename: after a crash the target is the old file or the whole new one.
bool flush_and_close(std::FILE* file) {
  const bool flushed = std::fflush(file) == 0 && ::fsync(::fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  return flushed && closed;
}

void rename_into_place(const std::string& temporary, const std::string& path) {
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw std::runtime_error("cannot write " + path + ": " + error.message());
  }
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
  AtomicFileStream stream(path);
  stream.write(content);
  stream.commit();
}

AtomicFileStream::AtomicFileStream(std::string path)
    : path_(std::move(path)), temporary_(temporary_name(path_)) {
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr) throw std::runtime_error("cannot write " + temporary_ + ": " + std::strerror(errno));
}

AtomicFileStream::~AtomicFileStream() {
  discard();
}

void AtomicFileStream::commit() {
  const bool written = std::ferror(file_) == 0;
  const bool closed = flush_and_close(file_);
  file_ = nullptr;
  if (!written || !closed) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary_.c_str());
    throw std::runtime_error("cannot write " + path_ + ": " + reason);
  }
  rename_into_place(temporary_, path_);
}

void AtomicFileStream::discard() {
  if (file_ == nullptr) return;
  std::fclose(file_);
  file_ = nullptr;
  std::remove(temporary_.c_str());
}

}  // namespace shardsim
