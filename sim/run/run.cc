#include "shardsim/run/run.h"

#include <algorithm>

#include "shardsim/model/topology.h"
#include "shardsim/report/report_json.h"

namespace shardsim {

namespace {

// Runs the simulation up to `end` in slices, so that an interrupt and the progress callback are
// honoured without touching the event loop's hot path.
bool run_in_slices(Topology& topology, Time end, Duration slice, const RunOptions& options) {
  while (topology.sim.now() < end) {
    const Time until = std::min(end, topology.sim.now() + slice);
    topology.sim.run_until(until);
    if (options.on_progress) {
      options.on_progress(RunProgress{topology.sim.now(), topology.scenario.duration, topology.sim.events_run()});
    }
    if (options.interrupt && options.interrupt->load()) return false;
  }
  return true;
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  Topology topology(scenario);
  topology.start();
  const Duration slice = std::max<Duration>(scenario.report.sample_interval, kMillisecond);
  RunResult result;
  bool completed = run_in_slices(topology, scenario.report.warmup, slice, options);
  if (completed) {
    topology.metrics.start_window(topology.sim.now());
    for (Node* node : topology.nodes()) node->reset_stats(topology.sim.now());
    completed = run_in_slices(topology, scenario.duration, slice, options);
  }
  topology.metrics.close(topology.sim.now());
  result.interrupted = !completed;
  result.events = topology.sim.events_run();
  result.report = build_report(topology, result.interrupted);
  return result;
}

}  // namespace shardsim
