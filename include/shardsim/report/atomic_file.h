// Writes files atomically: the content goes to a temporary file in the same directory, which is
// then synced and renamed over the target, and the directory synced. A reader, an interrupted run
// or a machine crash never sees half a file: the target is the old one or the whole new one.
//
// Safe in a directory others can write to: the temporary (`<target>.tmp.<16 random hex digits>`)
// is created with O_CREAT | O_EXCL | O_NOFOLLOW, so a file or link planted under its name is never
// written through. The target must be absent or a regular file: a symbolic link, FIFO, device or
// directory there is refused with an error rather than replaced. Only SIGKILL or a power cut can
// leave a temporary behind (an interrupt, exception or error removes it).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace shardsim {

// Throws std::runtime_error with the path and the reason on failure.
void write_file_atomically(const std::string& path, std::string_view content);

// A file written piece by piece as a run goes (time series, event trace), so memory does not grow
// with the run: the pieces go to a temporary file next to the target, renamed into place by
// commit(). Destroyed without commit (an interrupted run, an exception), it removes the temporary
// file and the target is left as it was.
class AtomicFileStream {
 public:
  // Creates the temporary file. Throws std::runtime_error when it cannot.
  explicit AtomicFileStream(std::string path);
  AtomicFileStream(const AtomicFileStream&) = delete;
  AtomicFileStream& operator=(const AtomicFileStream&) = delete;
  ~AtomicFileStream();

  void write(std::string_view piece) { std::fwrite(piece.data(), 1, piece.size(), file_); }
  // finish() then publish(). Throws std::runtime_error on failure.
  void commit();
  // The content is complete: flushes, syncs and closes the temporary, which stays unpublished
  // (the target untouched) until publish(). Throws std::runtime_error on a write error (a full
  // disk), having removed the temporary.
  void finish();
  // Renames the finished temporary over the target. Throws std::runtime_error on failure.
  void publish();
  // Removes the temporary file; the target is not touched. Does nothing after publish().
  void discard();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temporary_;
  std::FILE* file_ = nullptr;
  bool finished_ = false;  // closed, complete, not yet renamed
  bool settled_ = false;   // renamed into place or removed: no temporary left to clean up
};

}  // namespace shardsim
