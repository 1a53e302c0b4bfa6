// The clients of every geo: open-loop request arrivals, and the answers they get back.
//
// Arrivals are Poisson at the geo's rate times its load shape multiplier (a non-homogeneous
// process sampled by thinning: candidates at the peak rate, each kept with probability
// rate(t) / peak). Open loop: a slow system does not slow the clients down, which is what makes a
// saturated system visible. Each request picks an operation (static / read / sync write / async
// write) and a key from the geo's popularity law, from the geo's own random streams.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "shardsim/model/context.h"
#include "shardsim/model/operation.h"
#include "shardsim/random/stream.h"

namespace shardsim {

class Dns;

class Clients {
 public:
  Clients(ModelContext& context, std::vector<Dns*> dns_by_geo);

  // Schedules the first arrival of every geo.
  void start();
  // No new requests from now on (the drain at the end of a run).
  void stop() { stopped_ = true; }

  // A box in geo `from` answers request `id`: the answer travels back to the client's geo, where
  // the client records it (and releases its hold on the request).
  void answer(GeoId from, std::uint32_t id, Outcome outcome);
  void fail(GeoId from, std::uint32_t id);
  // A request or its answer was lost on the way (partition, loss): the client gave up waiting.
  void lost(std::uint64_t id) { on_answer(encode(static_cast<std::uint32_t>(id), Outcome::kCount, true)); }
  // The answer is produced in the client's own geo without a network hop (the CDN edge).
  void answer_now(std::uint32_t id, Outcome outcome) { on_answer(encode(id, outcome, false)); }

  // The load shape multiplier of a geo at `time`.
  double load_multiplier(GeoId geo, Time time) const;

 private:
  static std::uint64_t encode(std::uint32_t id, Outcome outcome, bool failed) {
    return id | (static_cast<std::uint64_t>(outcome) << 32) | (static_cast<std::uint64_t>(failed) << 40);
  }
  void arrival(std::uint64_t geo);
  void schedule_next(GeoId geo);
  void issue(GeoId geo);
  void on_answer(std::uint64_t encoded);
  void lost_answer(std::uint64_t encoded) { lost(static_cast<std::uint32_t>(encoded)); }
  // The event trace: the issue and the answer of a request, at node "clients/<geo>".
  std::string trace_node(GeoId geo) const;
  void trace_issued(std::uint32_t id, const Request& r);
  void trace_answered(std::uint32_t id, const Request& r, Outcome outcome, bool failed, Duration latency);

  struct Geo {
    const GeoWorkloadSpec* spec;
    RandomStream arrivals;
    RandomStream choices;
    double peak_multiplier;
  };
  ModelContext& ctx_;
  std::vector<Dns*> dns_;
  std::vector<Geo> geos_;
  bool stopped_ = false;
};

}  // namespace shardsim
