#!/usr/bin/env python3
"""Whole-model figures: the seed scenario at 10,000 requests/s for one simulated hour, the seed
scenario's memory over one and ten simulated hours, and the large scenario.

Usage: python3 tools/bench/whole_model.py [--binary build/shardsim] [--reps 3] [--quick]
                                          [--skip-large] [--skip-ten-hours]

Each figure is the median of --reps whole-process runs (wall clock, the child's user+system CPU
time and peak RSS from the operating system's accounting, via /usr/bin/time); requests and events
come from the run's report.json. --quick divides every simulated duration by 10 and runs once (a
smoke run; the figures are then not the issue's).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = os.path.join(ROOT, "scenarios", "seed.json")
LARGE = os.path.join(ROOT, "scenarios", "large.json")
# 10,000 requests/s; a consumer pool that keeps up, so the async queue (and memory) stays bounded.
SEED_10K = ["--set", "workload.india.rate_per_s=4000", "--set", "workload.usa.rate_per_s=6000",
            "--set", "async_path.consumer.servers=32"]


def run(binary, scenario, extra):
    """One run: dict of wall_s, cpu_s, rss_mib, requests, events."""
    with tempfile.TemporaryDirectory() as out:
        command = ["/usr/bin/time", "-f", "%U %S %M", binary, "run", scenario, "-q", "--out", out] + extra
        start = time.monotonic()
        result = subprocess.run(command, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - start
        if result.returncode not in (0, 1):
            sys.stderr.write(result.stderr)
            raise SystemExit("whole_model: %s exited %d" % (" ".join(command), result.returncode))
        user, system, rss_kib = result.stderr.strip().splitlines()[-1].split()
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
    requests = sum(g["requests_issued"] for g in report["requests"].values()) if all(
        "requests_issued" in g for g in report["requests"].values()) else None
    return {"wall_s": wall, "cpu_s": float(user) + float(system), "rss_mib": int(rss_kib) / 1024,
            "requests": requests, "events": report["run"]["events"],
            "simulated_s": report["run"]["simulated_s"]}


def median_run(binary, scenario, extra, reps):
    runs = [run(binary, scenario, extra) for _ in range(reps)]
    return {key: statistics.median(r[key] for r in runs) if runs[0][key] is not None else None
            for key in runs[0]}


def show(label, r):
    requests = r["requests"]
    per_cpu = "%.2f M req/CPU-s" % (requests / r["cpu_s"] / 1e6) if requests else "-"
    print("%-36s wall %8.2f s  CPU %8.2f s  RSS %8.1f MiB  events %11d (%5.2f M/CPU-s)  %s" % (
        label, r["wall_s"], r["cpu_s"], r["rss_mib"], r["events"], r["events"] / r["cpu_s"] / 1e6, per_cpu))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "shardsim"))
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-ten-hours", action="store_true")
    args = parser.parse_args()
    reps = 1 if args.quick else args.reps
    scale = 10 if args.quick else 1

    hour = ["--set", "duration_s=%d" % (3600 // scale), "--set", "report.warmup_s=10"]
    show("seed, 10,000 req/s, 1 h" + (" /10" if args.quick else ""),
         median_run(args.binary, SEED, SEED_10K + hour, reps))
    if not args.skip_ten_hours:
        # Memory must not grow with simulated duration: the default seed rate, 1 h against 10 h.
        one = median_run(args.binary, SEED, hour, 1)
        ten = median_run(args.binary, SEED, ["--set", "duration_s=%d" % (36000 // scale),
                                             "--set", "report.warmup_s=10"], 1)
        suffix = " /10" if args.quick else ""
        show("seed, 1,000 req/s, 1 h" + suffix, one)
        show("seed, 1,000 req/s, 10 h" + suffix, ten)
        print("RSS 10 h / 1 h: %.3f" % (ten["rss_mib"] / one["rss_mib"]))
    if not args.skip_large:
        large = [] if not args.quick else ["--set", "duration_s=60", "--set", "report.warmup_s=10"]
        show("large (5 geos, 32 shards, 10M keys)", median_run(args.binary, LARGE, large, 1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
