#!/usr/bin/env python3
"""The whole model's speed limit, written down (issue 21), and each scenario's distance from it.

1. Events per request of each kind: the seed scenario (its nodes, network and replication), with
   the load made of one kind only (static, read hit, read miss, sync write, async write; no DNS
   lookups), minus the events of the same run with no load at all (replication ticks, timers).
   That is the fewest events a request of the kind needs in this model, replication included.
2. The kernel's cost per event: shardsim_bench's hold model (the real Simulation, a Callback per
   event) at K pending events, measured in this run.
3. For each scenario: its measured CPU time per request against the limit, events per request
   (of its own mix, from 1.) x ns per event (from 2.). The ratio is how far the model's work per
   event is from the bare kernel's; 1.0 would mean the model's handlers cost nothing.

Usage: python3 tools/bench/model_limit.py [--binary build-bench/shardsim]
                                          [--bench build-bench/shardsim_bench] [--k 1e4] [--quick]
(build both targets with: cmake --build build-bench --target shardsim shardsim_bench)
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEED = os.path.join(ROOT, "scenarios", "seed.json")
LARGE = os.path.join(ROOT, "scenarios", "large.json")
SEED_10K = ["--set", "workload.india.rate_per_s=4000", "--set", "workload.usa.rate_per_s=6000",
            "--set", "async_path.consumer.servers=32"]

# Each kind: the workload shares that make every request of it (per geo), and scenario changes.
KINDS = {
    "static": ({"static_fraction": 1, "read_fraction": 0, "async_write_fraction": 0}, []),
    # Caches that hold nothing: every read goes to a slave.
    "read_miss": ({"static_fraction": 0, "read_fraction": 1, "async_write_fraction": 0},
                  ["--set", "caches.india.capacity_keys_per_node=0", "--set", "caches.usa.capacity_keys_per_node=0"]),
    # Caches that hold every key for the whole run: reads hit once each key was filled (the first
    # misses are taken out with read_miss's figure, measured before).
    "read_hit": ({"static_fraction": 0, "read_fraction": 1, "async_write_fraction": 0},
                 ["--set", "caches.india.capacity_keys_per_node=1000", "--set", "caches.usa.capacity_keys_per_node=1000",
                  "--set", "caches.india.ttl_s=1000000", "--set", "caches.usa.ttl_s=1000000"]),
    "sync_write": ({"static_fraction": 0, "read_fraction": 0, "async_write_fraction": 0}, []),
    "async_write": ({"static_fraction": 0, "read_fraction": 0, "async_write_fraction": 1},
                    ["--set", "async_path.consumer.servers=32"]),
}
REPORT_KIND = {"static": "static", "read_hit": "read_hit", "read_miss": "read_miss",
               "sync_write": "sync_write", "async_write": "async_write_ack"}


def run(binary, scenario, extra):
    with tempfile.TemporaryDirectory() as out:
        command = ["/usr/bin/time", "-f", "%U %S", binary, "run", scenario, "-q", "--out", out] + extra
        result = subprocess.run(command, stderr=subprocess.PIPE, text=True)
        if result.returncode not in (0, 1):
            sys.stderr.write(result.stderr)
            raise SystemExit("model_limit: %s exited %d" % (" ".join(command), result.returncode))
        user, system = result.stderr.strip().splitlines()[-1].split()
        with open(os.path.join(out, "report.json")) as f:
            report = json.load(f)
    counts = {}
    for geo in report["requests"].values():
        for kind, latency in geo["latency"].items():
            counts[kind] = counts.get(kind, 0) + latency.get("count", 0)
    issued = sum(g["requests_issued"] for g in report["requests"].values())
    return {"cpu_s": float(user) + float(system), "events": report["run"]["events"], "issued": issued,
            "counts": counts}


def kind_args(shares, rate, duration):
    args = ["--set", "duration_s=%g" % duration, "--set", "report.warmup_s=0"]
    for geo in ("india", "usa"):
        args += ["--set", "workload.%s.rate_per_s=%g" % (geo, rate), "--set", "workload.%s.dns_lookup_fraction=0" % geo]
        for key, value in shares.items():
            args += ["--set", "workload.%s.%s=%g" % (geo, key, value)]
    return args


def events_per_kind(binary, duration):
    idle = run(binary, SEED, kind_args({}, 0, duration))
    per_kind = {}
    for kind, (shares, extra) in KINDS.items():
        r = run(binary, SEED, kind_args(shares, 1000, duration) + extra)
        events = r["events"] - idle["events"]
        if kind == "read_hit":
            misses = r["counts"].get("read_miss", 0)
            per_kind[kind] = (events - misses * per_kind["read_miss"]) / (r["issued"] - misses)
        else:
            per_kind[kind] = events / r["issued"]
    return per_kind, idle["events"] / duration


def kernel_ns_per_event(bench, k, quick):
    events = "2e6" if quick else "1e7"
    out = subprocess.run([bench, "hold", "--k", k, "--impl", "sim", "--reps", "1" if quick else "3",
                          "--events", events], stdout=subprocess.PIPE, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.search(r"shardsim::Simulation\s+([\d.]+)\s+([\d.]+)", line)
        if m:
            return float(m.group(2))
    raise SystemExit("model_limit: no Simulation line in shardsim_bench's output:\n" + out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build-bench", "shardsim"))
    parser.add_argument("--bench", default=os.path.join(ROOT, "build-bench", "shardsim_bench"))
    parser.add_argument("--k", default="1e4", help="pending events of the kernel's hold model")
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    args = parser.parse_args()

    duration = 20 if args.quick else 120
    per_kind, idle_rate = events_per_kind(args.binary, duration)
    ns = kernel_ns_per_event(args.bench, args.k, args.quick)
    print("events per request (seed deployment, one kind at a time, idle events removed):")
    for kind, events in per_kind.items():
        print("  %-12s %6.2f events  -> limit %7.1f ns per request" % (kind, events, events * ns))
    print("  idle: %.0f events per simulated second (replication ticks and timers)" % idle_rate)
    print("kernel: %.1f ns per event (hold model, K = %s, shardsim::Simulation)" % (ns, args.k))
    print()
    scale = 10 if args.quick else 1
    # No warm-up: every request issued is counted, as every event and CPU second is.
    cases = [("seed, 10,000 req/s, %g s" % (3600 / scale), SEED,
              SEED_10K + ["--set", "duration_s=%g" % (3600 / scale), "--set", "report.warmup_s=0"]),
             ("large, %g s" % (600 / scale), LARGE, ["--set", "duration_s=%g" % (600 / scale),
                                                     "--set", "report.warmup_s=0"])]
    print("%-28s %10s %10s %12s %12s %7s" % ("scenario", "req/CPU-s", "events/req", "CPU ns/req",
                                            "limit ns/req", "ratio"))
    for label, scenario, extra in cases:
        r = run(args.binary, scenario, extra)
        measured = sum(r["counts"].get(REPORT_KIND[k], 0) for k in KINDS)
        floor_events = sum(r["counts"].get(REPORT_KIND[k], 0) * per_kind[k] for k in KINDS) / measured
        cpu_ns = r["cpu_s"] * 1e9 / r["issued"]
        limit = floor_events * ns
        print("%-28s %10.2fM %10.2f %12.0f %12.0f %7.2f" % (label, r["issued"] / r["cpu_s"] / 1e6,
                                                            r["events"] / r["issued"], cpu_ns, limit, cpu_ns / limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
