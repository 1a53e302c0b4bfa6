// What a client asks for, and what it got back.
#pragma once

#include <cstdint>

namespace shardsim {

enum class Operation : std::uint8_t { kStatic, kRead, kSyncWrite, kAsyncWrite, kCount };
const char* operation_name(Operation op);

// What a client observed, by kind of answer.
enum class Outcome : std::uint8_t {
  kStatic,       // ended at the CDN edge
  kReadHit,      // answered from the geo's cache
  kReadMiss,     // answered by a shard slave (then the cache was filled)
  kSyncWrite,    // committed at the active master, then answered
  kAsyncAck,     // acknowledged at enqueue in the message queue
  kAsyncCommit,  // an async write committed at the master (end to end from the client's request)
  kCount
};
const char* outcome_name(Outcome outcome);

}  // namespace shardsim
