#include "shardsim/run/run.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "shardsim/failure/failover.h"
#include "shardsim/failure/failure_injector.h"
#include "shardsim/model/topology.h"
#include "shardsim/report/event_trace.h"
#include "shardsim/report/report_json.h"
#include "shardsim/report/slo.h"
#include "shardsim/report/timeseries.h"

namespace shardsim {

namespace {

constexpr Duration kDrainLimit = 120 * kSecond;
constexpr Duration kLongestDrain = 24 * 3600 * kSecond;
constexpr Duration kDrainStep = 100 * kMillisecond;

// How long the drain waits without any progress before it calls replication stuck: 120 s, or ten
// rounds of every hop's batch interval when that is longer (a 60 s shipping interval is slow, not
// broken), at most a day.
Duration drain_patience(const Scenario& scenario) {
  const ReplicationSpec& r = scenario.replication;
  const Duration round = r.master_to_standby.batch_interval + r.master_to_shard_master.batch_interval +
                         r.shard_master_to_slave.batch_interval;
  return std::clamp(10 * round, kDrainLimit, kLongestDrain);
}

// Events between two looks at the interrupt flag: about 50 ms of a busy model, so Ctrl-C is
// honoured promptly however many events a simulated slice holds (a rate of 10^9 per second put
// minutes between slices).
constexpr std::uint64_t kEventsBetweenInterruptChecks = 1 << 20;

bool interrupted(const RunOptions& options) {
  return options.interrupt && options.interrupt->load();
}

// Runs every event before `until` in chunks; false when interrupted first.
bool run_chunked(Topology& topology, Time until, const RunOptions& options) {
  while (topology.sim.now() < until) {
    topology.sim.run_until(until, kEventsBetweenInterruptChecks);
    if (interrupted(options)) return false;
    if (topology.sim.stop_requested()) break;  // a model check stopped the loop: as one call did
  }
  return true;
}

// Runs the simulation up to `end` in slices (time series samples and progress between them) and
// chunks (interrupt checks), without touching the event loop's hot path.
bool run_in_slices(Topology& topology, Time end, Duration slice, const RunOptions& options,
                   TimeSeriesWriter* timeseries) {
  while (topology.sim.now() < end) {
    const Time until = std::min(end, topology.sim.now() + slice);
    if (!run_chunked(topology, until, options)) return false;
    if (timeseries) timeseries->sample();
    if (options.on_progress) {
      options.on_progress(
          RunProgress{topology.sim.now(), topology.scenario.duration, topology.sim.events_run()});
    }
    if (interrupted(options)) return false;
  }
  return true;
}

// The live copies of every shard that have not applied the whole log yet.
std::vector<std::string> lagging_copies(Topology& topology) {
  std::vector<std::string> lagging;
  for (auto& log : topology.context.logs) {
    for (const Replica* copy : log->replicas()) {
      if (copy->up() && copy->position() != log->end()) lagging.push_back(copy->name());
    }
  }
  std::sort(lagging.begin(), lagging.end());
  return lagging;
}

// How far replication has got: the sum of the live copies' positions and the async writes still
// queued. The drain watches it to tell a backlog that is draining from one that is stuck.
std::pair<std::uint64_t, std::uint64_t> replication_progress(Topology& topology) {
  std::uint64_t applied = 0;
  for (auto& log : topology.context.logs) {
    for (const Replica* copy : log->replicas()) {
      if (copy->up()) applied += copy->position();
    }
  }
  return {applied, topology.queue->depth()};
}

// After the measured window: the clients stop, no new failure starts, the queued writes drain, the
// failures in force end when due (waited for up to kDrainLimit), and replication runs on until
// every live copy has applied every write. It gives up when nothing has moved for
// drain_patience() (a stuck copy: not converged), or after a simulated day; a backlog that is
// still draining (a hop slower than the writes were) is waited for. Nothing here is measured; it
// checks the invariant that lazy replication converges. nullopt when interrupted.
std::optional<Convergence> drain(Topology& topology, FailureInjector& injector, const RunOptions& options) {
  Convergence result;
  result.checked = true;
  topology.clients->stop();
  const Time start = topology.sim.now();
  const Time healed_by = std::min(injector.stop_injecting(), start + kDrainLimit);
  const Duration patience = drain_patience(topology.scenario);
  const Time limit = healed_by + kLongestDrain;
  Time moved_at = start;
  auto [most_applied, fewest_queued] = replication_progress(topology);
  while (topology.sim.now() < limit) {
    if (!run_chunked(topology, std::min(topology.sim.now() + kDrainStep, limit), options))
      return std::nullopt;
    if (topology.sim.now() >= healed_by && topology.queue->empty() && lagging_copies(topology).empty()) {
      result.converged = true;
      break;
    }
    // Progress is a new high of applied entries or a new low of queued writes: a queue whose depth
    // only goes up and down again (commits retried against a dead master) is not draining.
    const auto [applied, queued] = replication_progress(topology);
    if (applied > most_applied || queued < fewest_queued || topology.sim.now() < healed_by) {
      most_applied = std::max(most_applied, applied);
      fewest_queued = std::min(fewest_queued, queued);
      moved_at = topology.sim.now();
    } else if (topology.sim.now() - moved_at >= patience) {
      break;  // stuck
    }
  }
  result.after = topology.sim.now() - start;
  result.failures_in_force = injector.active();
  if (!result.converged) {
    result.lagging = lagging_copies(topology);
    result.queued_writes = topology.queue->depth();
  }
  return result;
}

// Points the model's traced places at the trace: the context (clients, master, failover), and the
// nodes and copies that pass its filter (the others never test it).
void attach_trace(Topology& topology, EventTrace& trace) {
  topology.context.trace = &trace;
  for (Node* node : topology.nodes()) {
    if (trace.traces(TraceKind::kNode, node->name())) node->set_trace(&trace);
  }
  for (Replica* copy : topology.replicas()) {
    if (trace.traces(TraceKind::kApply, copy->name())) copy->add_observer(&trace);
  }
}

}  // namespace

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  Topology topology(scenario);
  RunResult result;
  if (interrupted(options)) {  // Ctrl-C while a large topology was being built
    result.interrupted = true;
    result.report["run"] = {{"simulated_s", 0.0}};
    return result;
  }
  if (options.trace) attach_trace(topology, *options.trace);
  FailoverCoordinator failover(topology);
  FailureInjector injector(topology, failover);
  topology.start();
  failover.start();
  injector.start();
  const Duration slice = std::max<Duration>(scenario.report.sample_interval, kMillisecond);
  std::unique_ptr<AtomicFileStream> timeseries_file;
  std::unique_ptr<TimeSeriesWriter> timeseries;
  std::string timeseries_text;
  if (!options.timeseries_path.empty())
    timeseries_file = std::make_unique<AtomicFileStream>(options.timeseries_path);
  if (timeseries_file || options.timeseries_text) {
    const TimeSeriesSinks sinks{timeseries_file.get(), options.timeseries_text ? &timeseries_text : nullptr};
    timeseries =
        std::make_unique<TimeSeriesWriter>(topology, sinks, [&injector] { return injector.active(); });
  }
  bool completed = run_in_slices(topology, scenario.report.warmup, slice, options, timeseries.get());
  if (completed) {
    topology.metrics.start_window(topology.sim.now());
    for (Node* node : topology.nodes()) node->reset_stats(topology.sim.now());
    completed = run_in_slices(topology, scenario.duration, slice, options, timeseries.get());
  }
  topology.metrics.close(topology.sim.now());
  result.events = topology.sim.events_run();
  result.report = build_report(topology, failover.log(), !completed);
  if (completed) {
    topology.metrics.stop_recording();
    const std::optional<Convergence> convergence = drain(topology, injector, options);
    if (convergence) add_convergence(result.report, *convergence);
    completed = convergence.has_value();
  }
  // The time series is complete at the end of the window; only a finished run hands it on, to go
  // into place with the rest of the outputs (an interrupted one's temporary is removed here).
  if (completed) {
    result.timeseries = std::move(timeseries_file);
    result.timeseries_csv = std::move(timeseries_text);
  }
  result.interrupted = !completed;
  result.report["run"]["interrupted"] = result.interrupted;
  // Judged on the finished report (the convergence included); only when the scenario sets any, so
  // a report without thresholds keeps its bytes.
  if (completed && !scenario.report.slos.empty())
    result.report["slo"] = slo_section(check_slos(result.report, scenario.report.slos));
  return result;
}

}  // namespace shardsim
