#include "shardsim/model/trace_sink.h"

namespace shardsim {

const char* job_event_name(JobEvent event) {
  switch (event) {
    case JobEvent::kQueued:
      return "queued";
    case JobEvent::kStart:
      return "start";
    case JobEvent::kDone:
      return "done";
    case JobEvent::kRejected:
      return "rejected";
    case JobEvent::kDropped:
      return "dropped";
  }
  return "?";
}

}  // namespace shardsim
