#include "shardsim/model/node.h"

#include <algorithm>

#include "shardsim/model/trace_sink.h"

namespace shardsim {

Node::Node(Simulation& sim, std::string name, GeoId geo, const NodeSpec& spec, std::uint64_t seed,
           Callback on_served)
    : sim_(sim),
      name_(std::move(name)),
      geo_(geo),
      servers_(spec.servers),
      queue_capacity_(spec.queue_capacity),
      service_ms_(spec.service_ms),
      rng_(seed, "node/" + name_),
      on_served_(on_served) {}

bool Node::submit(std::uint64_t job) {
  if (!up_) {
    ++stats_.rejected;
    if (trace_) trace(JobEvent::kRejected, job);
    return false;
  }
  account(sim_.now());
  if (busy_ < servers_) {
    start_service(job);
    return true;
  }
  if (queue_size_ >= queue_capacity_) {
    ++stats_.rejected;
    if (trace_) trace(JobEvent::kRejected, job);
    return false;
  }
  if (trace_) trace(JobEvent::kQueued, job);
  push_queue(job);
  stats_.max_queue = std::max(stats_.max_queue, queue_size_);
  return true;
}

void Node::start_service(std::uint64_t job) {
  if (trace_) trace(JobEvent::kStart, job);
  ++busy_;
  const Duration service = from_ms(service_ms_.sample(rng_) * slowdown_);
  sim_.schedule_in(service, Callback::to<&Node::finish_service>(this), job);
}

void Node::finish_service(std::uint64_t job) {
  account(sim_.now());
  --busy_;
  if (trace_) trace(JobEvent::kDone, job);
  if (queue_size_ > 0) start_service(pop_queue());
  ++stats_.served;
  on_served_(job);
}

std::vector<std::uint64_t> Node::crash() {
  account(sim_.now());
  up_ = false;
  std::vector<std::uint64_t> dropped;
  dropped.reserve(queue_size_);
  while (queue_size_ > 0) dropped.push_back(pop_queue());
  queue_head_ = 0;
  if (trace_) {
    for (std::uint64_t job : dropped) trace(JobEvent::kDropped, job);
  }
  return dropped;
}

void Node::trace(JobEvent event, std::uint64_t job) {
  trace_->node_job(sim_.now(), name_,
                   NodeJob{event, static_cast<std::uint32_t>(job), static_cast<std::uint32_t>(job >> 32)});
}

void Node::account(Time now) {
  const double span = static_cast<double>(now - last_change_);
  stats_.busy_area += span * busy_;
  stats_.queue_area += span * static_cast<double>(queue_size_);
  last_change_ = now;
}

Node::Stats Node::stats(Time now) const {
  Stats s = stats_;
  const double span = static_cast<double>(now - last_change_);
  s.busy_area += span * busy_;
  s.queue_area += span * static_cast<double>(queue_size_);
  return s;
}

void Node::reset_stats(Time now) {
  account(now);
  stats_ = Stats{};
  stats_.since = now;
  stats_.max_queue = queue_size_;
}

double Node::utilization(Time now) const {
  const Stats s = stats(now);
  const double window = static_cast<double>(now - s.since);
  return window > 0 ? s.busy_area / (window * servers_) : 0.0;
}

double Node::mean_queue(Time now) const {
  const Stats s = stats(now);
  const double window = static_cast<double>(now - s.since);
  return window > 0 ? s.queue_area / window : 0.0;
}

void Node::push_queue(std::uint64_t job) {
  if (queue_size_ == ring_.size()) {
    // Grow by doubling, unrolling the ring so the FIFO order survives.
    std::vector<std::uint64_t> grown(std::max<std::size_t>(16, ring_.size() * 2));
    for (std::uint64_t i = 0; i < queue_size_; ++i) grown[i] = ring_[(queue_head_ + i) % ring_.size()];
    ring_.swap(grown);
    queue_head_ = 0;
  }
  ring_[(queue_head_ + queue_size_) % ring_.size()] = job;
  ++queue_size_;
}

std::uint64_t Node::pop_queue() {
  const std::uint64_t job = ring_[queue_head_];
  queue_head_ = (queue_head_ + 1) % ring_.size();
  --queue_size_;
  return job;
}

}  // namespace shardsim
