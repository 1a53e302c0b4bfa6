#!/usr/bin/env python3
"""realcheck: shardsim's Sentinel model held against a real Redis Sentinel deployment.

Usage:
    python3 tools/realcheck/realcheck.py [--smoke] [--trials N] [--seed K] [--sim-seeds M]
                                         [--binary PATH] [--out DIR] [--doc PATH]
                                         [--report-only RESULTS.json]

    --smoke        one trial at down-after 1000 ms (about 30 s): exits 1 unless both sides
                   produced every metric they define; writes no doc
    --trials N     real trials per setting (default 10)
    --sim-seeds M  shardsim seeds per setting (default: N)
    --seed K       the study's seed (default 1): every trial's crash phase and seed derive from it
    --out DIR      where results.json goes (default build/realcheck)
    --doc PATH     the generated report (default docs/realcheck.md; not with --smoke)
    --report-only  regenerate the doc from a results.json, running nothing

Every setting runs N real trials (deploy, load, crash the master, measure, tear down: see
trial.py) and M shardsim runs of the generated scenario (simulate.py); report.py compares them.
"""
import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402
import simulate  # noqa: E402
from cluster import Setup, remove_stale_dirs  # noqa: E402
from trial import run_trial  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The deployment (docs/realcheck.md): geos, one-way delays, who sits where.
GEOS = ["east", "west", "north"]
ONE_WAY_MS = [[0, 40, 60], [40, 0, 30], [60, 30, 0]]
BASE = dict(geos=GEOS, one_way_ms=ONE_WAY_MS, master_geo=0, standby_geo=1, other_geo=2,
            sentinel_geos=[0, 1, 2], quorum=2, failover_timeout_ms=10000)
LOAD = {"rate": 200, "client_geo": 0, "poll_s": 0.1}
WARMUP_S = 3.0

# (name, down-after ms, min-replicas-to-write, crash mode)
SETTINGS = [("da1000", 1000, 0, "kill"), ("da3000", 3000, 0, "kill"), ("da5000", 5000, 0, "kill"),
            ("da1000-minrep", 1000, 1, "kill"), ("da3000-minrep", 3000, 1, "kill"),
            ("da5000-minrep", 5000, 1, "kill"), ("da1000-sigstop", 1000, 0, "stop")]


def setup_of(down_after, min_replicas, crash):
    return Setup(**BASE, down_after_ms=down_after, min_replicas=min_replicas, crash=crash)


def run_setting(name, setup, trials, sim_seeds, rng, binary, workdir):
    real, sim = [], []
    for k in range(trials):
        m = run_trial(setup, LOAD, WARMUP_S, random.Random(rng.random()))
        m["wall_s"] = round(m["wall_s"], 1)
        real.append(m)
        # A step the event stream did not show (None) is printed as "-" and left to the tables.
        secs = lambda v: "-" if v is None else f"{v:.3f}"
        print(f"  {name} real {k + 1}/{trials}: odown {secs(m['+odown'])} s, switch "
              f"{secs(m['+switch-master'])} s, lost {m['acked_lost']} ({m['wall_s']} s)", flush=True)
    overhead = sum(m["proxy_overhead_ms"] for m in real) / len(real)
    for k in range(sim_seeds):
        crash_at = 2 + WARMUP_S + rng.uniform(0, 1)
        sim.append(simulate.run_seed(binary, setup, LOAD, crash_at, overhead, k + 1, workdir))
    return {"name": name, "setup": setup.__dict__, "real": real, "sim": sim,
            "proxy_overhead_ms": overhead}


def save(results, out):
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)


def install_signal_handlers():
    # SIGTERM/SIGHUP end the run as Ctrl-C does: the finally blocks stop every process and
    # remove every temporary directory (and PR_SET_PDEATHSIG covers even a SIGKILL).
    def stop(signum, _frame):
        raise SystemExit(128 + signum)
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, stop)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--trials", type=int, default=10)
    ap.add_argument("--sim-seeds", type=int)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "shardsim"))
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "realcheck"))
    ap.add_argument("--doc", default=os.path.join(ROOT, "docs", "realcheck.md"))
    ap.add_argument("--report-only")
    a = ap.parse_args()
    if a.report_only:
        with open(a.report_only) as f:
            results = json.load(f)
        report.write_doc(results, a.doc)
        return 0
    install_signal_handlers()
    remove_stale_dirs()
    settings = SETTINGS[:1] if a.smoke else SETTINGS
    trials = 1 if a.smoke else a.trials
    sim_seeds = a.sim_seeds or (3 if a.smoke else trials)
    rng = random.Random(a.seed)
    t0 = time.monotonic()
    results = {"command": " ".join(["tools/realcheck/realcheck.py"] + sys.argv[1:]), "seed": a.seed,
               "load": LOAD, "warmup_s": WARMUP_S, "settings": []}
    with tempfile.TemporaryDirectory(prefix="realcheck-sim-") as workdir:
        with open(os.path.join(workdir, "harness.pid"), "w") as f:
            f.write(str(os.getpid()))
        for name, down_after, min_rep, crash in settings:
            print(f"== realcheck: setting {name}", flush=True)
            setup = setup_of(down_after, min_rep, crash)
            results["settings"].append(run_setting(name, setup, trials, sim_seeds, rng, a.binary, workdir))
            results["wall_s"] = time.monotonic() - t0
            save(results, a.out)  # after each setting, so a later failure keeps what was measured
    print(report.tables(results))
    if a.smoke:
        missing = report.missing_metrics(results)
        for m in missing:
            print(f"realcheck: FAIL: {m}", file=sys.stderr)
        print("realcheck smoke:", "FAIL" if missing else "ok", f"({results['wall_s']:.0f} s)")
        return 1 if missing else 0
    report.write_doc(results, a.doc)
    print(f"realcheck: wrote {a.doc} ({results['wall_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
