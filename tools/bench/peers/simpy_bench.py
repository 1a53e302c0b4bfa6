#!/usr/bin/python3
"""simpy_bench: shardsim_bench's hold model and M/M/1 in SimPy, the peer for run-peers.sh.

Written for the SimPy that Debian 12 ships (python3-simpy 2.3.1): the classic 2.x API of
processes as generators that `yield hold, self, delay`. Run it with /usr/bin/python3 (the
package lives in Debian's dist-packages). One process runs one repetition of one model;
run-peers.sh repeats and takes the median. See tools/bench/peers/README.md.

  simpy_bench.py hold --k K [--events N] [--seed S] [--clock cpu|wall]
  simpy_bench.py mm1 [--departures N] [--rho R] [--seed S] [--variant resource|lean] [--clock ...]

hold: K processes, each looping `yield hold, self, exponential(mean 1 s)`. One event = one
  process resumed after its hold (one timer expiry) = one Simulation.step(). K untimed warm-up
  events, then N timed events.
mm1: one server at utilization rho (mean service 0.1 ms). Two events per job, its arrival and its
  departure, whatever number of SimPy steps the variant needs for them:
  resource: the textbook SimPy form: a source process creates a Customer process per job that
    requests a Resource(capacity=1), holds for its service and releases it.
  lean: two processes, a source and a server; jobs wait in a deque and the source reactivates
    the server when it is passive.

The last line is machine readable: "RESULT key=value ...", read by run-peers.sh.
"""
import argparse
import collections
import math
import random
import resource
import sys
import time

try:
    from SimPy.Simulation import (Process, Resource, Simulation, hold, passivate, release,
                                  request)
    import SimPy
except ImportError:
    sys.exit("simpy_bench: SimPy 2.x not found; install python3-simpy and run with /usr/bin/python3")

HOLD_MEAN = 1.0        # seconds of simulated time, as shardsim_bench
SERVICE_MEAN = 0.1e-3  # 0.1 ms, as shardsim_bench


def count(text):
    """Accepts 1000, 1e6, 2.5e5 (the notation shardsim_bench accepts)."""
    value = float(text)
    if value < 1 or value != math.floor(value):
        raise argparse.ArgumentTypeError("not a positive whole number: " + text)
    return int(value)


def exponential_source(seed):
    """-log(u) * mean with u uniform on (0, 1]: the formula every implementation uses."""
    uniform = random.Random(seed).random  # Mersenne Twister, [0, 1)
    log = math.log

    def exponential(mean):
        return -log(1.0 - uniform()) * mean

    return exponential


def stopwatch(wall):
    """The process's CPU time (default; SimPy is single-threaded) or the wall clock."""
    return time.perf_counter if wall else time.process_time


def max_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0


# ---------------------------------------------------------------------------------------------
# Hold model

class Timer(Process):
    """One pending timer: sleeps an exponential time, again and again."""

    def run(self, exponential):
        while True:
            yield hold, self, exponential(HOLD_MEAN)


def run_hold(options):
    sim = Simulation()
    exponential = exponential_source(options.seed)
    for _ in range(options.k):
        timer = Timer(sim=sim)
        sim.activate(timer, timer.run(exponential))
    # Each step() resumes one process: one timer expiry. This loop is Simulation.simulate()'s own
    # loop (while there are events: step()) with a count instead of an end time, so that exactly
    # N events are timed. The first K steps start the K processes (their first hold): setup.
    step = sim.step
    for _ in range(options.k):
        step()
    for _ in range(options.k):  # warm-up, as shardsim_bench: K expiries, untimed
        step()
    clock = stopwatch(options.wall)
    start = clock()
    for _ in range(options.events):
        step()
    seconds = clock() - start
    rate = options.events / seconds
    print("SimPy %s hold model: K=%d processes, %d timed events in %.3f s: %.3f M events/s"
          % (SimPy.__version__, options.k, options.events, seconds, rate / 1e6))
    print("Sanity: simulated clock at the end %.3f s (about (K + N) / K = %.3f s)"
          % (sim.now(), (options.k + options.events) / options.k))
    print("RESULT model=hold k=%d impl=simpy events=%d seconds=%.6f rate=%.1f rss_per_k=%.0f"
          % (options.k, options.events, seconds, rate, max_rss_bytes() / options.k))


# ---------------------------------------------------------------------------------------------
# M/M/1

class Stats:
    """What both variants count: events for the rate, response times for the sanity check."""

    def __init__(self, sim, target):
        self.sim = sim
        self.target = target
        self.arrived = 0
        self.departed = 0
        self.response_sum = 0.0

    def depart(self, arrived_at):
        self.departed += 1
        self.response_sum += self.sim.now() - arrived_at
        if self.departed == self.target:
            self.sim.stopSimulation()


class Customer(Process):
    """resource variant: one process per job, the way SimPy's tutorials model a queue."""

    def visit(self, server, service, stats):
        arrived_at = self.sim.now()
        yield request, self, server
        yield hold, self, service(SERVICE_MEAN)
        yield release, self, server
        stats.depart(arrived_at)


class CustomerSource(Process):
    def generate(self, interarrival, mean, server, service, stats):
        while True:
            yield hold, self, interarrival(mean)
            stats.arrived += 1
            customer = Customer(sim=self.sim)
            self.sim.activate(customer, customer.visit(server, service, stats))


class Server(Process):
    """lean variant: serves the deque in FIFO order; passive while it is empty."""

    def serve(self, waiting, service, stats):
        while True:
            while not waiting:
                yield passivate, self
            arrived_at = waiting.popleft()
            yield hold, self, service(SERVICE_MEAN)
            stats.depart(arrived_at)


class JobSource(Process):
    def generate(self, interarrival, mean, waiting, server, stats):
        while True:
            yield hold, self, interarrival(mean)
            stats.arrived += 1
            waiting.append(self.sim.now())
            if server.passive():
                self.sim.reactivate(server)


def build_mm1(sim, options, stats):
    # Two streams from the one seed, as shardsim_bench has an arrival and a service stream.
    interarrival = exponential_source(options.seed)
    service = exponential_source(options.seed ^ 0x5EED5EED5EED5EED)
    mean_interarrival = SERVICE_MEAN / options.rho
    if options.variant == "resource":
        server = Resource(capacity=1, sim=sim)
        source = CustomerSource(sim=sim)
        sim.activate(source, source.generate(interarrival, mean_interarrival, server, service, stats))
    else:
        waiting = collections.deque()
        server = Server(sim=sim)
        sim.activate(server, server.serve(waiting, service, stats))
        source = JobSource(sim=sim)
        sim.activate(source, source.generate(interarrival, mean_interarrival, waiting, server, stats))


def run_mm1(options):
    sim = Simulation()
    stats = Stats(sim, options.departures)
    build_mm1(sim, options, stats)
    clock = stopwatch(options.wall)
    start = clock()
    sim.simulate(until=1e300)  # stopped by the last departure
    seconds = clock() - start
    events = stats.arrived + stats.departed
    rate = events / seconds
    mean_ms = stats.response_sum / stats.departed * 1e3
    theory_ms = SERVICE_MEAN / (1 - options.rho) * 1e3
    print("SimPy %s M/M/1 (%s): %d events in %.3f s: %.3f M events/s"
          % (SimPy.__version__, options.variant, events, seconds, rate / 1e6))
    print("Sanity: mean response %.4f ms vs theory 1/(mu - lambda) = %.4f ms (%+.2f%%)"
          % (mean_ms, theory_ms, 100 * (mean_ms / theory_ms - 1)))
    print("RESULT model=mm1 k=- impl=simpy-%s events=%d seconds=%.6f rate=%.1f mean_ms=%.4f"
          % (options.variant, events, seconds, rate, mean_ms))


def parse():
    parser = argparse.ArgumentParser(description="shardsim_bench's models in SimPy 2.x")
    parser.add_argument("model", choices=["hold", "mm1"])
    parser.add_argument("--k", type=count, default=1000, help="pending timers (hold)")
    parser.add_argument("--events", type=count, default=1000000, help="timed events (hold)")
    parser.add_argument("--departures", type=count, default=500000, help="departures (mm1)")
    parser.add_argument("--rho", type=float, default=0.9, help="utilization (mm1)")
    parser.add_argument("--seed", type=count, default=1)
    parser.add_argument("--variant", choices=["resource", "lean"], default="lean")
    parser.add_argument("--clock", choices=["cpu", "wall"], default="cpu")
    options = parser.parse_args()
    if not 0 < options.rho < 1:
        parser.error("--rho must be in (0, 1)")
    options.wall = options.clock == "wall"
    return options


def main():
    options = parse()
    if options.model == "hold":
        run_hold(options)
    else:
        run_mm1(options)


if __name__ == "__main__":
    main()
