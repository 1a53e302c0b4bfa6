#!/usr/bin/env python3
"""Memory follows the keys written, not the key space (issue 21).

Runs one scenario whose key space has --keys keys (default 10^10) and whose writes touch about
--written distinct keys (default 10^7: uniform keys, so few repeat),
and reports the peak RSS, CPU time and the commits. With --compare-dense it also runs the same
load over a key space small enough for dense state (--dense-keys, default 10^7) both ways,
dense and sparse, and prints both, with whether their reports are the same bytes.

Usage: python3 tools/bench/key_space.py [--binary build/shardsim] [--keys 1e10] [--written 1e7]
                                        [--compare-dense] [--dense-keys 1e7]
The target: under 2 GiB peak RSS at 10^10 keys and 10^7 keys written (docs/performance.md).
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

WRITES_PER_S = 200_000  # over two geos


def scenario(keys, written):
    """A plain two-geo deployment whose load is all writes (sync path), spread uniformly."""
    duration = max(2.0, written / WRITES_PER_S)
    per_geo = {"rate_per_s": WRITES_PER_S / 2, "static_fraction": 0, "read_fraction": 0,
               "async_write_fraction": 0, "dns_lookup_fraction": 0, "keys": {"dist": "uniform"}}
    node = {"servers": 64, "queue_capacity": 100000, "service_ms": 0.05}
    hop = {"batch_interval_ms": 10, "max_batch_entries": 100000, "apply_ms_per_entry": 0}
    return {
        "name": "key-space", "seed": 1, "duration_s": duration + 1,
        "geos": ["east", "west"],
        "network": {"intra_geo_latency_ms": 0.25, "inter_geo_latency_ms": 40},
        "keys": {"first": 1, "count": int(keys), "value_bytes": 100},
        "shards": {"shard_count": 16},
        "global_master": {"active_geo": "east", "standby_geo": "east", "node": node},
        "shard_masters": {"geo": "east", "node": node},
        "slaves": {"per_shard_per_geo": {"east": 1, "west": 1}, "node": node},
        "caches": {"east": {"nodes": 1, "capacity_keys_per_node": 1000},
                   "west": {"nodes": 1, "capacity_keys_per_node": 1000}},
        "front_end": {"api_gateway": node, "write_sync": node},
        "replication": {"master_to_standby": hop, "master_to_shard_master": hop, "shard_master_to_slave": hop},
        "workload": {"east": per_geo, "west": per_geo},
        "report": {"warmup_s": 1, "sample_interval_s": 1},
    }


def run(binary, document, state, workdir, name):
    document = json.loads(json.dumps(document))
    document["keys"]["state"] = state
    path = os.path.join(workdir, name + ".json")
    out = os.path.join(workdir, name)
    with open(path, "w") as f:
        json.dump(document, f)
    result = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", binary, "run", path, "-q", "--out", out],
                            stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stderr)
        raise SystemExit("key_space: the run exited %d" % result.returncode)
    user, system, rss_kib = result.stderr.strip().splitlines()[-1].split()
    with open(os.path.join(out, "report.json")) as f:
        report = json.load(f)
    return {"cpu_s": float(user) + float(system), "rss_mib": int(rss_kib) / 1024,
            "commits": report["replication"]["commits_total"], "report": report}


def show(label, keys, r):
    # n uniform writes over N keys touch N (1 - e^(-n/N)) distinct keys on average.
    distinct = keys * -math.expm1(-r["commits"] / keys)
    print("%-22s keys %.0e  commits %10d (about %.0f distinct keys)  peak RSS %8.1f MiB  CPU %7.2f s"
          % (label, keys, r["commits"], distinct, r["rss_mib"], r["cpu_s"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default="build/shardsim")
    parser.add_argument("--keys", type=float, default=1e10)
    parser.add_argument("--written", type=float, default=1e7)
    parser.add_argument("--compare-dense", action="store_true")
    parser.add_argument("--dense-keys", type=float, default=1e7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        big = run(args.binary, scenario(args.keys, args.written), "auto", workdir, "big")
        show("sparse (auto)", args.keys, big)
        if args.compare_dense:
            small = scenario(args.dense_keys, args.written)
            dense = run(args.binary, small, "dense", workdir, "dense")
            sparse = run(args.binary, small, "sparse", workdir, "sparse")
            show("dense", args.dense_keys, dense)
            show("sparse", args.dense_keys, sparse)
            for r in (dense, sparse):
                r["report"]["scenario"]["effective"]["keys"].pop("state")
            same = dense["report"] == sparse["report"]
            print("dense and sparse reports %s" % ("are the same" if same else "DIFFER"))
            if not same:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
