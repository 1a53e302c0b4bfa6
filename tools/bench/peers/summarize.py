#!/usr/bin/python3
"""Prints run-peers.sh's table from its results file.

Each line of the results file is one repetition of one implementation:
    model  K  implementation  events_per_second  check
(tab-separated; K is "-" for M/M/1; check is the M/M/1 mean response in ms, or "-").
For each (model, K, implementation) the table gives the median events/s over the repetitions,
the spread (max - min) / median, and shardsim's median divided by the peer's median for the same
model and K ("shardsim/peer": how many times more events per second shardsim runs).
"""
import collections
import statistics
import sys

SHARDSIM = "shardsim"
# Row order inside a (model, K) group: shardsim first, then the peers.
ORDER = ["shardsim", "simgrid", "simgrid-semaphore", "simgrid-mailbox", "simpy", "simpy-lean",
         "simpy-resource"]
LABELS = {
    "shardsim": "shardsim::Simulation",
    "simgrid": "SimGrid S4U (K actors, sleep_for)",
    "simgrid-semaphore": "SimGrid S4U (2 actors + semaphore)",
    "simgrid-mailbox": "SimGrid S4U (2 actors + mailbox)",
    "simpy": "SimPy (K processes, yield hold)",
    "simpy-lean": "SimPy (2 processes, passivate)",
    "simpy-resource": "SimPy (Customer + Resource)",
}
LABELS_MM1 = {"shardsim": "shardsim::Node + Simulation"}


def read(path):
    """(model, K, impl) -> lists of rates and checks, in file order."""
    rates = collections.defaultdict(list)
    checks = collections.defaultdict(list)
    with open(path) as results:
        for line in results:
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 5:
                continue
            model, k, impl, rate, check = fields
            rates[(model, k, impl)].append(float(rate))
            if check != "-":
                checks[(model, k, impl)].append(float(check))
    return rates, checks


def sort_key(key):
    model, k, impl = key
    k_value = float(k) if k != "-" else 0.0
    rank = ORDER.index(impl) if impl in ORDER else len(ORDER)
    return (model != "hold", k_value, rank, impl)


def label(model, impl):
    if model == "mm1" and impl in LABELS_MM1:
        return LABELS_MM1[impl]
    return LABELS.get(impl, impl)


def k_text(k):
    return "-" if k == "-" else "%d" % float(k)


def print_table(rates, checks):
    print("| model | K | implementation | events/s (median) | spread | runs | shardsim/peer | mean response |")
    print("|---|---:|---|---:|---:|---:|---:|---:|")
    for key in sorted(rates, key=sort_key):
        model, k, impl = key
        values = rates[key]
        median = statistics.median(values)
        spread = (max(values) - min(values)) / median
        ours = rates.get((model, k, SHARDSIM))
        if impl == SHARDSIM:
            ratio = "-"
        elif ours:
            ratio = "%.1fx" % (statistics.median(ours) / median)
        else:
            ratio = "n/a"
        check = "%.4f ms" % statistics.median(checks[key]) if checks.get(key) else ""
        print("| %s | %s | %s | %s | %.0f%% | %d | %s | %s |"
              % ("M/M/1" if model == "mm1" else "hold", k_text(k), label(model, impl),
                 "{:,.0f}".format(median), 100 * spread, len(values), ratio, check))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RESULTS_FILE")
    rates, checks = read(sys.argv[1])
    if not rates:
        sys.exit("summarize.py: no results in " + sys.argv[1])
    print_table(rates, checks)


if __name__ == "__main__":
    main()
