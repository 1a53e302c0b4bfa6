// A client request in flight, and the pool that holds them.
//
// Events carry a request's id (a 32-bit index into the pool), never a pointer, so the event queue
// stays small and a run's order never depends on addresses. The pool recycles ids through a free
// list: no allocation per request once it has grown to the peak number in flight.
#pragma once

#include <cstdint>
#include <vector>

#include "shardsim/kernel/time.h"
#include "shardsim/model/operation.h"
#include "shardsim/scenario/scenario.h"

namespace shardsim {

struct Request {
  Time issued = 0;
  std::uint64_t key_index = 0;
  GeoId geo = 0;  // the client's geo
  Operation op = Operation::kRead;
  bool hot = false;           // the key is in the workload's hot set
  bool cache_hit = false;     // reads: answered by the cache
  std::uint8_t holds = 0;     // parts of the model still using the request (released at 0)
  std::uint32_t node = 0;     // reads: the cache node (CLB's pick), then the slave (SLB's pick)
  std::uint64_t version = 0;  // reads: the version returned
};

class RequestPool {
 public:
  using Id = std::uint32_t;

  // A fresh request, held once.
  Id acquire();
  Request& operator[](Id id) { return slots_[id]; }
  const Request& operator[](Id id) const { return slots_[id]; }
  // One more part of the model holds the request (e.g. a cache fill after the answer).
  void hold(Id id) { ++slots_[id].holds; }
  // Drops one hold; the id is recycled when none is left.
  void release(Id id);

  std::size_t in_flight() const { return slots_.size() - free_.size(); }
  std::size_t peak() const { return slots_.size(); }

 private:
  std::vector<Request> slots_;
  std::vector<Id> free_;
};

}  // namespace shardsim
