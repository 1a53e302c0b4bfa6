// The simulation clock and its event loop.
//
// Components schedule callbacks at future instants; run_until() pops them in (time, scheduling
// order) and calls them. A run ends at its end time or earlier, when nothing is pending. Events
// scheduled exactly at the end time do not run: a run of duration T covers the interval [0, T).
#pragma once

#include <cstdint>

#include "shardsim/kernel/callback.h"
#include "shardsim/kernel/event_queue.h"
#include "shardsim/kernel/time.h"

namespace shardsim {

class Simulation {
 public:
  static constexpr std::uint64_t kNoEventLimit = UINT64_MAX;

  Time now() const { return now_; }

  // Schedules `action(arg)` at `time` (>= now). Returns the event's sequence number.
  std::uint64_t schedule_at(Time time, Callback action, std::uint64_t arg = 0) {
    if (time < now_) [[unlikely]]
      refuse_past();
    return queue_.push(time, action, arg);
  }
  std::uint64_t schedule_in(Duration delay, Callback action, std::uint64_t arg = 0) {
    return schedule_at(now_ + delay, action, arg);
  }

  // Runs every event before `end` and sets the clock to `end`; returns at once when nothing is
  // pending. Returns the number of events run. With `max_events`, returns after that many even
  // if events before `end` remain (the clock then stays at the last event run): a caller that
  // must notice something between events (an interrupt) runs in bounded chunks, and the events
  // run, their order and the clock are the same as in one call.
  std::uint64_t run_until(Time end, std::uint64_t max_events = kNoEventLimit);
  // Asks the loop to return after the current event (for Ctrl-C and checks that fail).
  void request_stop() {
    stop_requested_ = true;
    stop_after_ = events_run_;
  }
  bool stop_requested() const { return stop_requested_; }

  std::uint64_t events_run() const { return events_run_; }
  std::size_t pending() const { return queue_.size(); }
  EventQueue& queue() { return queue_; }

 private:
  // An event in the past would make time run backwards; it is always a model bug.
  [[noreturn]] static void refuse_past();

  EventQueue queue_;
  Time now_ = 0;
  std::uint64_t events_run_ = 0;
  // The loop runs while events_run_ < stop_after_: one comparison serves both the chunk limit and
  // request_stop(), so neither costs the hot loop anything extra.
  std::uint64_t stop_after_ = kNoEventLimit;
  bool stop_requested_ = false;
};

// A cancellable, re-armable timer with at most one pending firing (heartbeats, timeouts, batch
// ticks). Cancelling is O(1): the timer bumps a generation number and the stale event, when it
// comes up, finds the generation changed and does nothing. No search in the event queue.
class Timer {
 public:
  Timer(Simulation& sim, Callback on_fire) : sim_(&sim), on_fire_(on_fire) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  // (Re)arms the timer to fire at `time` with `arg`; a pending firing is cancelled.
  void arm_at(Time time, std::uint64_t arg = 0);
  void arm_in(Duration delay, std::uint64_t arg = 0) { arm_at(sim_->now() + delay, arg); }
  void cancel();
  bool armed() const { return armed_; }
  Time fires_at() const { return fires_at_; }

 private:
  void fire(std::uint64_t generation);

  Simulation* sim_;
  Callback on_fire_;
  std::uint64_t generation_ = 0;
  std::uint64_t arg_ = 0;
  Time fires_at_ = kTimeNever;
  bool armed_ = false;
};

}  // namespace shardsim
