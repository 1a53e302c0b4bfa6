#include "shardsim/model/client.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "shardsim/model/dns.h"
#include "shardsim/random/distribution.h"

namespace shardsim {

namespace {

double peak_of(const LoadShapeSpec& shape) {
  switch (shape.kind) {
    case LoadShapeSpec::Kind::kConstant:
      return 1.0;
    case LoadShapeSpec::Kind::kSteps: {
      double peak = 1.0;
      for (const auto& step : shape.steps) peak = std::max(peak, step.second);
      return peak;
    }
    case LoadShapeSpec::Kind::kDaily:
      return 1.0 + std::abs(shape.daily_amplitude);
    case LoadShapeSpec::Kind::kSpike:
      return std::max(1.0, shape.spike_multiplier);
  }
  return 1.0;
}

double multiplier_at(const LoadShapeSpec& shape, Time t) {
  switch (shape.kind) {
    case LoadShapeSpec::Kind::kConstant:
      return 1.0;
    case LoadShapeSpec::Kind::kSteps: {
      double m = 1.0;
      for (const auto& step : shape.steps) {
        if (step.first <= t) m = step.second;
      }
      return m;
    }
    case LoadShapeSpec::Kind::kDaily: {
      const double phase = 2 * std::numbers::pi * static_cast<double>(t - shape.daily_peak) /
                           static_cast<double>(shape.daily_period);
      return std::max(0.0, 1.0 + shape.daily_amplitude * std::cos(phase));
    }
    case LoadShapeSpec::Kind::kSpike:
      return t >= shape.spike_at && t < shape.spike_at + shape.spike_length ? shape.spike_multiplier : 1.0;
  }
  return 1.0;
}

}  // namespace

Clients::Clients(ModelContext& context, std::vector<Dns*> dns_by_geo)
    : ctx_(context), dns_(std::move(dns_by_geo)) {
  for (GeoId g = 0; g < ctx_.scenario.geos.size(); ++g) {
    const GeoWorkloadSpec& spec = ctx_.scenario.workload[g];
    const std::string& name = ctx_.scenario.geos[g];
    geos_.push_back(Geo{&spec, RandomStream(ctx_.seed(), "workload/" + name + "/arrivals"),
                        RandomStream(ctx_.seed(), "workload/" + name + "/choices"), peak_of(spec.shape)});
  }
}

void Clients::start() {
  for (GeoId g = 0; g < geos_.size(); ++g) schedule_next(g);
}

double Clients::load_multiplier(GeoId geo, Time time) const {
  return multiplier_at(geos_[geo].spec->shape, time);
}

void Clients::schedule_next(GeoId geo) {
  Geo& g = geos_[geo];
  const double peak_rate = g.spec->rate_per_s * g.peak_multiplier;
  if (peak_rate <= 0) return;
  const double gap_s = standard_exponential(g.arrivals) / peak_rate;
  ctx_.sim.schedule_in(from_s(gap_s), Callback::to<&Clients::arrival>(this), geo);
}

void Clients::arrival(std::uint64_t geo_id) {
  const auto geo = static_cast<GeoId>(geo_id);
  Geo& g = geos_[geo];
  if (stopped_) return;
  schedule_next(geo);
  // Thinning: keep the candidate with probability rate(t) / peak rate.
  if (g.peak_multiplier != 1.0 &&
      g.arrivals.next_double() * g.peak_multiplier >= multiplier_at(g.spec->shape, ctx_.sim.now())) {
    return;
  }
  issue(geo);
}

void Clients::issue(GeoId geo) {
  Geo& g = geos_[geo];
  const std::uint32_t id = ctx_.requests.acquire();
  Request& r = ctx_.requests[id];
  r.issued = ctx_.sim.now();
  r.geo = geo;
  const GeoWorkloadSpec& spec = *g.spec;
  if (g.choices.next_double() < spec.static_fraction) {
    r.op = Operation::kStatic;
  } else if (g.choices.next_double() < spec.read_fraction) {
    r.op = Operation::kRead;
  } else {
    r.op =
        g.choices.next_double() < spec.async_write_fraction ? Operation::kAsyncWrite : Operation::kSyncWrite;
  }
  const std::uint64_t rank = spec.keys.sample_rank(g.choices);
  r.key_index = spec.keys.key_index_of_rank(rank);
  r.hot = spec.keys.is_hot_rank(rank);
  ctx_.metrics.request_issued(geo, r.op);
  if (ctx_.trace) trace_issued(id, r);
  dns_[geo]->resolve(id);
}

void Clients::answer(GeoId from, std::uint32_t id, Outcome outcome) {
  const GeoId to = ctx_.requests[id].geo;
  ctx_.network.send(from, to, ctx_.message_bytes(), Callback::to<&Clients::on_answer>(this),
                    encode(id, outcome, false), Callback::to<&Clients::lost_answer>(this));
}

void Clients::fail(GeoId from, std::uint32_t id) {
  const GeoId to = ctx_.requests[id].geo;
  ctx_.network.send(from, to, ctx_.message_bytes(), Callback::to<&Clients::on_answer>(this),
                    encode(id, Outcome::kCount, true), Callback::to<&Clients::lost_answer>(this));
}

void Clients::on_answer(std::uint64_t encoded) {
  const auto id = static_cast<std::uint32_t>(encoded);
  const auto outcome = static_cast<Outcome>((encoded >> 32) & 0xff);
  const bool failed = (encoded >> 40) & 1;
  const Request& r = ctx_.requests[id];
  const Duration latency = ctx_.sim.now() - r.issued;
  if (ctx_.trace) trace_answered(id, r, outcome, failed, latency);
  ctx_.metrics.answer_observed(r.geo, outcome, failed, latency);
  if (failed && r.op == Operation::kSyncWrite && ctx_.write_observer) {
    ctx_.write_observer->on_sync_write_failed(ctx_.sim.now());
  }
  if (r.issued >= ctx_.metrics.window_start()) {
    if (failed) {
      ctx_.metrics.request_failed(r.geo, r.op, latency);
    } else {
      ctx_.metrics.request_completed(r.geo, outcome, latency);
    }
  }
  ctx_.requests.release(id);
}

std::string Clients::trace_node(GeoId geo) const {
  return "clients/" + ctx_.scenario.geos[geo];
}

void Clients::trace_issued(std::uint32_t id, const Request& r) {
  const std::string node = trace_node(r.geo);
  if (!ctx_.trace->traces(TraceKind::kRequest, node)) return;
  ctx_.trace->request_issued(ctx_.sim.now(), node, RequestIssued{id, r.op, r.key_index, r.hot});
}

void Clients::trace_answered(std::uint32_t id, const Request& r, Outcome outcome, bool failed,
                             Duration latency) {
  const std::string node = trace_node(r.geo);
  if (!ctx_.trace->traces(TraceKind::kAnswer, node)) return;
  ctx_.trace->request_answered(ctx_.sim.now(), node,
                               RequestAnswered{id, r.op, outcome, failed, latency, r.version});
}

}  // namespace shardsim
