#include "shardsim/model/operation.h"

namespace shardsim {

const char* operation_name(Operation op) {
  switch (op) {
    case Operation::kStatic:
      return "static";
    case Operation::kRead:
      return "read";
    case Operation::kSyncWrite:
      return "sync_write";
    case Operation::kAsyncWrite:
      return "async_write";
    case Operation::kCount:
      break;
  }
  return "?";
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kStatic:
      return "static";
    case Outcome::kReadHit:
      return "read_hit";
    case Outcome::kReadMiss:
      return "read_miss";
    case Outcome::kSyncWrite:
      return "sync_write";
    case Outcome::kAsyncAck:
      return "async_write_ack";
    case Outcome::kAsyncCommit:
      return "async_write_commit";
    case Outcome::kCount:
      break;
  }
  return "?";
}

}  // namespace shardsim
