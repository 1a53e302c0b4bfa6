#!/usr/bin/env python3
"""Growth table: wall time, CPU time and peak RSS of `shardsim run` as each of request rate,
simulated duration, key count and replicas per shard grows tenfold alone.

Usage: python3 tools/bench/growth.py [--binary build/shardsim] [--reps 3] [--quick]

The base is scenarios/seed.json at 2,000 requests/s, 120 simulated seconds, 100,000 keys in three
shards, one slave per shard per geo, and a consumer pool large enough that the async queue does
not grow (so memory measures the model, not a backlog). Each variant changes one thing tenfold.
Every figure is the median of --reps whole-process runs (wall clock and the child's user+system
CPU time and peak RSS, from the operating system's accounting); variants run interleaved, base
first in each round, so a drift in the machine's speed touches all of them alike. The ratios to
the base are what to read: a cost that grows at most linearly in the events it adds has a CPU
ratio close to the events ratio, and simulated duration must not grow memory at all.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

BASE = [
    "--set", "duration_s=120", "--set", "report.warmup_s=5",
    "--set", "workload.india.rate_per_s=800", "--set", "workload.usa.rate_per_s=1200",
    "--set", "keys.count=100000", "--set", 'shards={"shard_count":3}',
    "--set", "async_path.consumer.servers=128",
]
VARIANTS = [
    ("base", []),
    ("request rate x10", ["--set", "workload.india.rate_per_s=8000", "--set", "workload.usa.rate_per_s=12000"]),
    ("duration x10", ["--set", "duration_s=1200"]),
    ("keys x10", ["--set", "keys.count=1000000"]),
    ("replicas per shard x10", ["--set", "slaves.per_shard_per_geo.india=10",
                                "--set", "slaves.per_shard_per_geo.usa=10"]),
]


def run_once(binary, extra):
    """One whole-process run: (wall s, cpu s, peak RSS MiB, events)."""
    with tempfile.TemporaryDirectory() as out:
        command = [binary, "run", os.path.join(ROOT, "scenarios", "seed.json"), "-q", "--out", out] + BASE + extra
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run(command, check=True)
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        with open(os.path.join(out, "report.json")) as f:
            events = json.load(f)["run"]["events"]
    return wall, cpu, events


def peak_rss_mib(binary, extra):
    """Peak RSS of one run, measured alone through /usr/bin/time (KiB -> MiB)."""
    with tempfile.TemporaryDirectory() as out:
        command = ["/usr/bin/time", "-f", "%M", binary, "run", os.path.join(ROOT, "scenarios", "seed.json"),
                   "-q", "--out", out] + BASE + extra
        result = subprocess.run(command, check=True, stderr=subprocess.PIPE, text=True)
        return int(result.stderr.strip().splitlines()[-1]) / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "shardsim"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="one rep, for a smoke run")
    args = parser.parse_args()
    reps = 1 if args.quick else args.reps
    samples = {name: [] for name, _ in VARIANTS}
    for _ in range(reps):
        for name, extra in VARIANTS:
            samples[name].append(run_once(args.binary, extra))
    rss = {name: peak_rss_mib(args.binary, extra) for name, extra in VARIANTS}
    base_wall, base_cpu, base_events = (statistics.median(s[i] for s in samples["base"]) for i in range(3))
    print("Growth: seed.json base (2,000 req/s, 120 s, 100,000 keys, 1 slave/shard/geo); median of %d runs" % reps)
    print("%-24s %9s %9s %12s %9s %9s %9s %9s" % ("variant", "wall s", "CPU s", "events", "events x", "CPU x",
                                                  "RSS MiB", "RSS x"))
    for name, _ in VARIANTS:
        wall, cpu, events = (statistics.median(s[i] for s in samples[name]) for i in range(3))
        print("%-24s %9.2f %9.2f %12d %9.2f %9.2f %9.1f %9.2f" % (
            name, wall, cpu, events, events / base_events, cpu / base_cpu, rss[name], rss[name] / rss["base"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
