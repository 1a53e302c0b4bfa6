#include "shardsim/kernel/simulation.h"

#include <stdexcept>

namespace shardsim {

void Simulation::refuse_past() {
  throw std::logic_error("event scheduled in the past");
}

std::uint64_t Simulation::run_until(Time end, std::uint64_t max_events) {
  const std::uint64_t before = events_run_;
  stop_requested_ = false;
  stop_after_ = max_events > kNoEventLimit - before ? kNoEventLimit : before + max_events;
  while (events_run_ < stop_after_ && !queue_.empty() && queue_.top_time() < end) {
    const Event event = queue_.pop();
    now_ = event.time;
    ++events_run_;
    event.action(event.arg);
  }
  const bool reached_end = queue_.empty() || queue_.top_time() >= end;
  if (!stop_requested_ && reached_end && now_ < end) now_ = end;
  return events_run_ - before;
}

void Timer::arm_at(Time time, std::uint64_t arg) {
  ++generation_;
  arg_ = arg;
  fires_at_ = time;
  armed_ = true;
  sim_->schedule_at(time, Callback::to<&Timer::fire>(this), generation_);
}

void Timer::cancel() {
  ++generation_;
  armed_ = false;
  fires_at_ = kTimeNever;
}

void Timer::fire(std::uint64_t generation) {
  if (generation != generation_ || !armed_) return;  // cancelled or re-armed since
  armed_ = false;
  fires_at_ = kTimeNever;
  on_fire_(arg_);
}

}  // namespace shardsim
