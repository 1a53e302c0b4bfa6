#include "shardsim/report/output_set.h"

namespace shardsim {

void OutputSet::add(const std::string& path, std::string_view content) {
  owned_.push_back(std::make_unique<AtomicFileStream>(path));
  owned_.back()->write(content);
  streams_.push_back(owned_.back().get());
}

void OutputSet::commit() {
  try {
    for (AtomicFileStream* stream : streams_) stream->finish();
  } catch (...) {
    for (AtomicFileStream* stream : streams_) stream->discard();
    throw;
  }
  for (AtomicFileStream* stream : streams_) stream->publish();
}

}  // namespace shardsim
