#!/usr/bin/python3
"""simtest: simulation testing of the simulator (in the manner of FoundationDB and TigerBeetle).

Usage:
    tools/simtest/simtest.py [--seconds S] [--seed K] [--binary PATH] [--keep DIR] [--max-runs N]
                             [--index I] [--budget R] [--verbose]

    --seconds S    wall-clock budget of the campaign (default 60)
    --seed K       campaign seed (default: from the clock; printed first). The campaign is a
                   function of K alone: scenario I is drawn from random.Random("K/I").
    --binary PATH  the shardsim to test (default build/shardsim under the repository root). It is
                   copied to a private directory first, so a rebuild during the campaign cannot
                   mix two binaries.
    --keep DIR     where scenarios that violate something are kept (default: a new temporary
                   directory, kept only if something was found)
    --max-runs N   stop after N scenarios (also stops at the time budget)
    --index I      start at scenario I (with --max-runs 1: regenerate exactly one scenario)
    --budget R     expected client requests per scenario at most (default 30000): keeps a run
                   well under a second
    --skip-known   do not count the open finds filed in tools/simtest/finds/ (README.md there):
                   their signatures are ignored, so a long campaign looks for new ones
    --verbose      one line per scenario

Each scenario is drawn at random from the schema (scenarios/schema/scenario.schema.json) and the
model's rules (docs/scenario-format.md): 1-4 named geos in random order; shard_count 1-6, explicit
range shards or the default; key spaces from 1 to 5000 keys starting anywhere up to 10^15; 0-3
slaves per shard per geo, uneven, sometimes left to the default; 0-3 cache nodes per geo with
random capacities, TTLs (0 included) and both invalidations; every node's servers, queue (0
included) and service time drawn from every distribution law; the three replication hops' batch
intervals, jitter, batch sizes, apply costs and sometimes a tiny log retention (lapses and
snapshots); latencies, explicit links both ways and one way, bandwidths, timeouts; per-geo
workloads with uniform, zipf and hotset keys, both placements and salts, every load shape, rates
from 0 to about three times the estimated saturation of the busiest node; the failover settings
(monitor geo, heartbeats, promotion and routing times, both promotion policies; Sentinel's
parallel_syncs and replica priorities; the global master's min_replicas_to_write); and 0-6 failures
of every kind (crash with and without a duration and host_up, slow, partition hold and drop with and without a
duration, latency_spike, loss, random_crashes) at random times, on real node names.

For every scenario:
  generator   `shardsim validate FILE` accepts it. A rejection is a bug of THIS generator, counted
              apart (not a violation of the simulator) and printed with the loader's message.
Then `shardsim run FILE --seed N --out DIR --color never --quiet`, and the checks below. A failed
check is a violation, printed with its kind:
  exit        exit code 0 (1 = a run invariant failed, 2 = run refused a file validate accepted,
              other = crash/signal), no timeout, report.json invariants.ok true (no read at a
              master, commits only at the active master, converged once every failure healed) and
              invariants/convergence consistent with each other.
  accounting  per geo: requests_answered + requests_failed <= requests_issued (a request is
              counted once, only if it was issued in the window and ended in it), and over all geos
              sum(issued - answered - failed) <= run.peak_requests_in_flight (what is missing
              can only be requests still in flight when the window closed); requests_answered =
              the sum of latency.<outcome>.count except async_write_commit; requests_failed =
              sum(failed_by_operation) = failed_latency.count; availability = answered /
              (answered + failed); throughput_per_s = answered / measured_s; cache hits <= lookups,
              hit_ratio = hits / lookups, latency.read_hit.count <= cache hits; stale_reads <=
              reads; replication commits_total = log_entries_total + failures.summary.writes_lost;
              summary.writes_lost = sum of the failovers' writes_lost; node max_queue <= its queue
              capacity; async queue_max_depth <= queue_capacity.
  finite      no NaN/Infinity/nan/inf token in report.json or timeseries.csv, no null outside
              failures.failovers (nlohmann writes a NaN as null), every number finite and >= 0,
              shares, ratios, availability, utilization, p_visible and fresh shares in [0, 1],
              percentiles ordered p50 <= p95 <= p99 <= p999 <= max, mean <= max; time series rows
              strictly increasing in time_s, every cell a finite number >= 0.
  repeatable  a second identical run gives byte-identical report.json, timeseries.csv and
              scenario.effective.json.
  effective   the run's DIR/scenario.effective.json, validated and run again with the same seed,
              gives byte-identical report.json and timeseries.csv, and an identical effective
              scenario (the effective scenario is a fixed point).

A violation prints the kept scenario (FILE, in --keep DIR, with FILE.txt listing the problems) and
    reproduce with: shardsim run FILE --seed N
and the script exits 1 at the end (0 when nothing was violated; 2 on bad usage). A rejected
scenario is kept there too, as rejected-K-I.json. To regenerate scenario I of campaign K (with the
same simtest.py: a change to the generator changes the campaign):
    tools/simtest/simtest.py --seed K --index I --max-runs 1 --keep DIR
The binary is copied once at the start (a rebuild meanwhile cannot mix two binaries in one check);
its sha256 prefix is printed and written into every FILE.txt.
"""
import argparse
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import random

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GEO_POOL = ["india", "usa", "eu", "apac", "us_east", "sa", "x1", "b_2", "tokyo", "lagos"]
RUN_TIMEOUT_S = 120


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------

def r3(x):
    return round(float(x), 3)


def r4(x):
    return round(float(x), 4)


class Gen:
    """Draws one random valid scenario (a dict) from rng."""

    def __init__(self, rng, budget, skip_known=False):
        self.rng = rng
        self.budget = budget
        self.skip_known = skip_known

    def chance(self, p):
        return self.rng.random() < p

    # -- distributions ------------------------------------------------------------------------
    def dist(self, typical, allow_zero=True, heavy=False, min_shape=1.5):
        """A distribution of a non-negative quantity of typical size `typical`."""
        rng = self.rng
        t = typical
        kind = rng.choices(["number", "constant", "uniform", "exponential", "normal", "lognormal",
                            "pareto", "empirical"], [4, 1, 2, 2, 1, 4, 1, 1])[0]
        if kind == "number":
            if allow_zero and self.chance(0.05):
                return 0
            return r4(t * rng.uniform(0.3, 1.7)) or r4(t)
        if kind == "constant":
            return {"dist": "constant", "value": 0 if (allow_zero and self.chance(0.05)) else r4(t * rng.uniform(0.3, 1.7))}
        if kind == "uniform":
            lo = 0 if (allow_zero and self.chance(0.2)) else r4(t * rng.uniform(0.1, 1))
            hi = lo if self.chance(0.05) else r4(lo + t * rng.uniform(0.01, 2))
            if hi == 0 and not allow_zero:
                hi = r4(t)
            return {"dist": "uniform", "min": lo, "max": hi}
        if kind == "exponential":
            return {"dist": "exponential", "mean": max(r4(t * rng.uniform(0.3, 1.7)), 0.0001)}
        if kind == "normal":
            mean = r4(t * rng.uniform(0.3, 1.7))
            if mean == 0 and not allow_zero:
                mean = r4(t) or 0.0001
            return {"dist": "normal", "mean": mean, "stddev": r4(mean * rng.choice([0, 0.1, 0.5, 1.5]))}
        if kind == "lognormal":
            median = max(r4(t * rng.uniform(0.3, 1.5)), 0.0001)
            return {"dist": "lognormal", "median": median,
                    "p99": median if self.chance(0.05) else r4(median * rng.uniform(1.01, 8))}
        if kind == "pareto":
            shape = r3(rng.uniform(0.6, 1.0)) if (heavy and self.chance(0.3)) else r3(rng.uniform(min_shape, 5))
            return {"dist": "pareto", "scale": max(r4(t * rng.uniform(0.2, 0.8)), 0.0001), "shape": shape}
        # empirical
        n = rng.randint(2, 6)
        inner = sorted(rng.sample(range(1, 100), n - 2))
        ps = [0] + inner + [100]
        vals = sorted(r4(t * rng.uniform(0 if allow_zero else 0.05, 3)) for _ in ps)
        if not allow_zero and vals[-1] == 0:
            vals[-1] = r4(t) or 0.0001
        if self.chance(0.3):
            ps = [p + 0.5 if 0 < p < 99 else p for p in ps]  # non-integer percentiles
        return {"dist": "empirical", "percentiles": [[p, v] for p, v in zip(ps, vals)]}

    @staticmethod
    def mean(d, default):
        """Rough mean of a generated distribution (for sizing, not for checking)."""
        if d is None:
            return default
        if isinstance(d, (int, float)):
            return float(d)
        k = d["dist"]
        if k == "constant":
            return d["value"]
        if k == "uniform":
            return (d["min"] + d["max"]) / 2
        if k in ("exponential", "normal"):
            return d["mean"]
        if k == "lognormal":
            sigma = math.log(d["p99"] / d["median"]) / 2.326
            return d["median"] * math.exp(sigma * sigma / 2)
        if k == "pareto":
            return d["scale"] * d["shape"] / (d["shape"] - 1) if d["shape"] > 1 else d["scale"] * 10
        pts = d["percentiles"]
        return sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(pts, pts[1:])) / 100

    # -- nodes ---------------------------------------------------------------------------------
    def node(self, service, servers_hi=8, queue_hi=2000, heavy=True):
        rng = self.rng
        n = {}
        if self.chance(0.9):
            n["servers"] = rng.choice([1, 1, 2, rng.randint(1, servers_hi)])
        if self.chance(0.9):
            n["queue_capacity"] = rng.choice([0, rng.randint(1, 10), rng.randint(10, queue_hi), 1000])
        if self.chance(0.95):
            n["service_ms"] = self.dist(service * rng.uniform(0.3, 3), heavy=heavy)
        return n

    def capacity_per_s(self, node):
        """Requests per second a node serves at most (servers / mean service time)."""
        servers = node.get("servers", 1)
        mean_ms = max(self.mean(node.get("service_ms"), 0.1), 1e-4)
        return servers * 1000.0 / mean_ms

    # -- the scenario --------------------------------------------------------------------------
    def scenario(self, index):
        rng = self.rng
        doc = {}
        geos = rng.sample(GEO_POOL, rng.choices([1, 2, 3, 4], [2, 3, 3, 2])[0])
        duration = r3(rng.uniform(3, 30))
        minimal = self.chance(0.04)  # only geos and workload (and a duration): every default

        # keys and shards
        keys_section = {}
        key_first = rng.choice([0, 1, 1, rng.randint(0, 10**6), rng.randint(0, 10**15)])
        key_count = rng.choice([rng.randint(1, 10), rng.randint(10, 500), rng.randint(500, 5000)])
        if self.chance(0.9):
            keys_section = {"first": key_first, "count": key_count}
            if self.chance(0.8):
                keys_section["value_bytes"] = rng.choice([0, rng.randint(1, 4096), 1024])
        else:
            key_first, key_count = 1, 1000
        max_shards = min(6, key_count)
        shard_count = rng.randint(1, max_shards)
        shards_mode = rng.choices(["count", "ranges", "default"], [6, 3, 1])[0]
        if shards_mode == "default":
            shard_count = 1
            shards = None
        elif shards_mode == "count":
            shards = {"shard_count": shard_count}
        else:
            cuts = sorted(rng.sample(range(key_first + 1, key_first + key_count), shard_count - 1)) \
                if shard_count > 1 else []
            starts = [key_first] + cuts
            ends = [c - 1 for c in cuts] + [key_first + key_count - 1]
            shards = [{"first_key": a, "last_key": b} for a, b in zip(starts, ends)]

        # slaves and caches per geo (uneven; some geos left to the default of 1)
        slaves = {}
        slaves_listed = {}
        for g in geos:
            n = rng.choices([0, 1, 2, 3], [2, 4, 2, 1])[0]
            if self.chance(0.15):
                slaves[g] = 1  # the default, left out of the file
            else:
                slaves[g] = n
                slaves_listed[g] = n
        caches = {}
        cache_section = {}
        for g in geos:
            if self.chance(0.15):
                caches[g] = 1
                continue
            c = {}
            nodes = rng.choices([0, 1, 2, 3], [2, 4, 2, 1])[0]
            c["nodes"] = nodes
            caches[g] = nodes
            if self.chance(0.8):
                c["capacity_keys_per_node"] = rng.choice([0, rng.randint(1, 50), rng.randint(50, 2000)])
            if self.chance(0.8):
                c["ttl_s"] = rng.choice([0, r3(rng.uniform(0.01, 2)), r3(rng.uniform(2, 60))])
            if self.chance(0.7):
                c["invalidation"] = rng.choice(["ttl_only", "on_slave_apply"])
            if self.chance(0.8):
                c["node"] = self.node(0.1, 4, 5000)
            cache_section[g] = c

        # servers
        speed = rng.choice([0.3, 1, 3, 10])  # scales every service time: capacity of the whole
        # Infinite-mean service (Pareto shape < 1) only off the write path: a master, scheduler,
        # consumer or object store that holds a job for hours stalls the drain, and the run is then
        # rightly "not converged" (a generator mistake, not a find).
        gm_node = self.node(1.0 * speed, 16, 5000, heavy=False)
        sm_node = self.node(0.5 * speed, 8, 5000, heavy=False)
        slave_node = self.node(0.8 * speed, 8, 2000, heavy=False)
        front = {role: self.node(0.3 * speed, 8, 5000) for role in ("api_gateway", "read_api", "write_sync", "write_async")}
        scheduler = self.node(0.2 * speed, 4, 5000, heavy=False)
        consumer = self.node(0.5 * speed, 4, 100, heavy=False)
        object_store = self.node(5 * speed, 32, 10000, heavy=False)

        # replication: keep batches * streams modest (idle streams tick too)
        total_slaves = shard_count * sum(slaves.values())
        streams = 2 * shard_count + total_slaves
        span_s = duration + 240  # the drain may wait 120 s for repairs and 120 s more
        min_interval = max(0.2, streams * span_s * 1000 / 400000)

        def hop(typical):
            h = {}
            if self.chance(0.9):
                h["batch_interval_ms"] = r3(max(min_interval, typical * rng.uniform(0.1, 3)))
            if self.chance(0.4):
                h["batch_jitter"] = rng.choice([0, 1, r3(rng.uniform(0, 1))])
            if self.chance(0.8):
                h["max_batch_entries"] = rng.choice([1, rng.randint(1, 20), rng.randint(20, 2000), 1000])
            if self.chance(0.8):
                h["apply_ms_per_entry"] = self.dist(rng.choice([0.001, 0.01, 0.05]))
            return h

        replication = {"master_to_standby": hop(5), "master_to_shard_master": hop(10),
                       "shard_master_to_slave": hop(50)}
        if self.chance(0.4):  # small: copies that fall behind lapse and load a snapshot
            replication["log_retention_entries"] = rng.choice([1, rng.randint(1, 20), rng.randint(1, 200), rng.randint(200, 5000)])
        for k in list(replication):
            if self.chance(0.1):
                del replication[k]

        # workload: rates relative to the estimated saturation of the busiest node
        workload = {}
        peak_multiplier = {}
        active_geos = [g for g in geos if self.chance(0.85)] or [geos[0]]
        for g in geos:
            if g not in active_geos:
                if self.chance(0.5):
                    workload[g] = {"rate_per_s": 0}
                continue
            w = {}
            static = rng.choice([0, 0, r3(rng.uniform(0, 0.5)), 1]) if self.chance(0.8) else 0
            read = rng.choice([0, 1, r3(rng.random()), r3(rng.uniform(0.7, 0.99))]) if self.chance(0.9) else 0.8
            asyn = rng.choice([0, 1, r3(rng.random())]) if self.chance(0.9) else 0.5
            dns = rng.choice([0, r3(rng.uniform(0, 0.2)), 1]) if self.chance(0.8) else 0.05
            w["static_fraction"], w["read_fraction"], w["async_write_fraction"], w["dns_lookup_fraction"] = static, read, asyn, dns
            for k in ("static_fraction", "read_fraction", "async_write_fraction", "dns_lookup_fraction"):
                if self.chance(0.1):
                    del w[k]
            nonstatic = 1 - static
            reads = nonstatic * read
            writes = nonstatic * (1 - read)
            share = len(active_geos)  # shared stages split between the geos with clients
            stages = [(self.capacity_per_s(front["api_gateway"]), nonstatic),
                      (self.capacity_per_s(front["read_api"]), reads),
                      (self.capacity_per_s(front["write_sync"]), writes * (1 - asyn)),
                      (self.capacity_per_s(front["write_async"]), writes * asyn),
                      (self.capacity_per_s(gm_node) / share, writes),
                      (self.capacity_per_s(scheduler) / share, writes * asyn)]
            if slaves[g] > 0:
                stages.append((self.capacity_per_s(slave_node) * slaves[g] * shard_count, reads))
            sat = min([c / f for c, f in stages if f > 0] or [5000])
            rho = rng.choices([0.02, r3(rng.uniform(0.05, 0.5)), r3(rng.uniform(0.5, 0.95)),
                               r3(rng.uniform(0.95, 1.3)), r3(rng.uniform(1.3, 3))], [1, 4, 3, 2, 2])[0]
            w["rate_per_s"] = r3(rho * sat)
            key_dist = rng.choice(["uniform", "zipf", "hotset", "default"])
            if key_dist == "uniform":
                kd = {"dist": "uniform"}
            elif key_dist == "zipf":
                kd = {"dist": "zipf", "exponent": rng.choice([0, r3(rng.uniform(0.3, 1.5)), r3(rng.uniform(1.5, 5))])}
            elif key_dist == "hotset":
                kd = {"dist": "hotset"}
                if self.chance(0.8):
                    kd["hot_fraction"] = rng.choice([1, r3(rng.uniform(0.001, 0.5))]) or 0.01
                if self.chance(0.8):
                    kd["hot_share"] = rng.choice([0, 1, r3(rng.uniform(0.5, 0.99))])
            else:
                kd = None
            if kd is not None:
                if self.chance(0.5):
                    kd["placement"] = rng.choice(["scattered", "contiguous"])
                if self.chance(0.4):
                    kd["salt"] = rng.randint(0, 10**9)
                w["keys"] = kd
            shape_kind = rng.choices(["none", "constant", "steps", "daily", "spike"], [4, 1, 2, 1, 2])[0]
            peak = 1.0
            if shape_kind == "constant":
                w["shape"] = {"kind": "constant"}
            elif shape_kind == "steps":
                times = sorted(set(r3(rng.uniform(0, duration)) for _ in range(rng.randint(1, 4))))
                steps = [{"from_s": t, "multiplier": rng.choice([0, r3(rng.uniform(0.1, 3))])} for t in times]
                w["shape"] = {"kind": "steps", "steps": steps}
                peak = max([1.0] + [s["multiplier"] for s in steps])
            elif shape_kind == "daily":
                sh = {"kind": "daily"}
                if self.chance(0.8):
                    sh["amplitude"] = rng.choice([0, 1, r3(rng.random())])
                if self.chance(0.8):
                    sh["period_s"] = r3(rng.uniform(1, 2 * duration))
                if self.chance(0.8):
                    sh["peak_s"] = r3(rng.uniform(0, duration))
                w["shape"] = sh
                peak = 1 + sh.get("amplitude", 0.5)
            elif shape_kind == "spike":
                mult = rng.choice([0, r3(rng.uniform(1, 5))])
                w["shape"] = {"kind": "spike", "at_s": r3(rng.uniform(0, duration)),
                              "length_s": rng.choice([0, r3(rng.uniform(0, duration / 2))]), "multiplier": mult}
                peak = max(1.0, mult)
            peak_multiplier[g] = peak
            workload[g] = w

        # keep a run short: expected requests at most the budget
        expected = sum(w["rate_per_s"] * peak_multiplier.get(g, 1) for g, w in workload.items()) * duration
        if expected > self.budget:
            duration = r3(max(3.0, self.budget / (expected / duration)))
            expected = sum(w["rate_per_s"] * peak_multiplier.get(g, 1) for g, w in workload.items()) * duration
            if expected > self.budget:
                factor = self.budget / expected
                for w in workload.values():
                    w["rate_per_s"] = r3(w["rate_per_s"] * factor)
        # shapes drawn against the first duration must stay valid (at_s are free; from_s too)

        doc["name"] = f"simtest-{index}"
        if self.chance(0.3):
            doc["description"] = "generated by tools/simtest/simtest.py"
        if self.chance(0.2):
            doc["notes"] = rng.choice(["a note", ["line 1", "line 2"]])
        if self.chance(0.1):
            doc["$schema"] = "schema/scenario.schema.json"
        if self.chance(0.7):
            doc["seed"] = rng.randint(0, 2**62)
        doc["duration_s"] = duration
        doc["geos"] = geos
        doc["workload"] = workload
        if minimal:
            for w in workload.values():
                w["rate_per_s"] = min(w["rate_per_s"], 300.0)
            return doc

        # network
        # Links deliver in order, so one latency drawn from a Pareto tail of shape 1.5 (about one
        # draw in 10^5 beyond 120 s) holds everything behind it for minutes; a chatty detector
        # draws that often enough to stall replication past the drain's patience -- the model
        # working as specified, not a find. Latency tails stay at shape 2.5 or more.
        net = {}
        if self.chance(0.9):
            net["intra_geo_latency_ms"] = self.dist(rng.choice([0.05, 0.25, 1]), min_shape=2.5)
        inter_typical = 100  # the model's default inter-geo latency, in ms
        if self.chance(0.9):
            inter_typical = rng.choice([5, 40, 100, 200])
            net["inter_geo_latency_ms"] = self.dist(inter_typical, min_shape=2.5)
        message_bytes = rng.choice([0, 512, rng.randint(1, 20000)]) if self.chance(0.6) else None
        # A bandwidth well above the offered traffic: a link that stays over capacity makes the
        # monitor across it fail over again and again with the news stuck in the backlog, and the
        # drain then rightly gives up (not converged) -- a generator mistake, not a find.
        total_rate = sum(w["rate_per_s"] * peak_multiplier.get(g, 1) for g, w in workload.items())
        value_bytes = keys_section.get("value_bytes", 1024)
        need = 1e5 + 20 * (message_bytes if message_bytes is not None else 512) * total_rate \
            + 5 * value_bytes * total_rate
        if len(geos) >= 1 and self.chance(0.6):
            links, seen = [], set()
            for _ in range(rng.randint(1, 5)):
                a, b = rng.choice(geos), rng.choice(geos)
                link = {}
                if self.chance(0.5):
                    dirs = {(a, b), (b, a)}
                    link["between"] = [a, b]
                else:
                    dirs = {(a, b)}
                    link["from"], link["to"] = a, b
                if dirs & seen:
                    continue
                seen |= dirs
                link["latency_ms"] = self.dist(0.3 if a == b else rng.choice([10, 60, 150]), min_shape=2.5)
                if self.chance(0.4):
                    link["bandwidth_bytes_per_s"] = rng.choice([r3(need * rng.uniform(1, 20)), 1.25e8])
                links.append(link)
            if links:
                net["links"] = links
        if message_bytes is not None:
            net["message_bytes"] = message_bytes
        if self.chance(0.8):
            net["timeout_ms"] = rng.choice([1, r3(rng.uniform(1, 100)), 1000, r3(rng.uniform(100, 5000))])
        doc["network"] = net
        if keys_section:
            doc["keys"] = keys_section
        if shards is not None:
            doc["shards"] = shards

        def maybe_geo(d, key, p=0.8):
            if self.chance(p):
                d[key] = rng.choice(geos)
            return d

        doc["global_master"] = maybe_geo(maybe_geo({"node": gm_node}, "active_geo"), "standby_geo")
        if self.chance(0.1):  # Redis min-replicas-to-write: the master refuses writes without replicas
            doc["global_master"]["min_replicas_to_write"] = rng.randint(0, 2)
            if self.chance(0.7):
                doc["global_master"]["min_replicas_max_lag_s"] = rng.choice([0, 1, 3, 10])
        doc["shard_masters"] = maybe_geo({"node": sm_node}, "geo")
        sl = {"node": slave_node}
        if slaves_listed or self.chance(0.5):
            sl["per_shard_per_geo"] = slaves_listed
        doc["slaves"] = sl
        if cache_section or self.chance(0.5):
            doc["caches"] = cache_section
        if self.chance(0.7):
            lb = {}
            for ring in ("slb", "clb"):
                if self.chance(0.8):
                    r = {}
                    if self.chance(0.8):
                        r["vnodes_per_node"] = rng.choice([1, rng.randint(1, 20), 100, rng.randint(100, 300)])
                    if self.chance(0.4):
                        r["bounded_load_factor"] = rng.choice([1, r3(rng.uniform(1, 3))])
                    lb[ring] = r
            doc["load_balancers"] = lb
        doc["replication"] = replication
        doc["front_end"] = {k: v for k, v in front.items() if self.chance(0.9)}
        if self.chance(0.7):
            edge = {}
            if self.chance(0.8):
                edge["dns_lookup_ms"] = self.dist(20)
            if self.chance(0.8):
                edge["cdn_response_ms"] = self.dist(5)
            doc["edge"] = edge
        ap = maybe_geo({"scheduler": scheduler, "consumer": consumer, "object_store": object_store}, "geo")
        if self.chance(0.8):
            ap["queue_capacity"] = rng.choice([0, rng.randint(1, 20), rng.randint(20, 100000), 100000])
        doc["async_path"] = ap
        rep = {}
        warmup = rng.choice([0, r3(rng.uniform(0, duration * 0.9)), r3(rng.uniform(0, 2))])
        if warmup >= duration:
            warmup = 0
        if self.chance(0.9):
            rep["warmup_s"] = warmup
        if self.chance(0.8):
            rep["sample_interval_s"] = rng.choice([0.001 * rng.randint(50, 200), 0.5, 1, r3(rng.uniform(0.05, duration + 5))])
        if self.chance(0.5):
            rep["fresh_share_target"] = rng.choice([0, 1, r3(rng.random())])
        if self.chance(0.5):
            rep["hot_share_target"] = rng.choice([0, 1, r3(rng.random())])
        doc["report"] = rep

        fo = {}
        maybe_geo(fo, "monitor_geo", 0.7)
        if self.chance(0.8):
            fo["heartbeat_interval_ms"] = rng.choice([max(5, r3(rng.uniform(5, 50))), 100, 500, r3(rng.uniform(50, 2000))])
        if self.chance(0.8):
            fo["missed_heartbeats"] = rng.randint(1, 5)
        # A silence limit below the spread of inter-geo latencies makes a monitor across geos
        # declare healthy nodes down at every beat, in the drain too, so replication never settles
        # and the drain rightly gives up -- a generator mistake, not a find. Keep the limit above
        # a few typical latencies (the distributions drawn reach 1.7x and more in their tails).
        if len(geos) > 1:
            silence = fo.get("heartbeat_interval_ms", 500) * fo.get("missed_heartbeats", 3)
            if silence < 6 * inter_typical:
                fo["heartbeat_interval_ms"] = r3(6 * inter_typical / fo.get("missed_heartbeats", 3))
        if self.chance(0.8):
            fo["promotion_ms"] = self.dist(rng.choice([1, 100, 2000]))
        if self.chance(0.8):
            fo["routing_update_ms"] = self.dist(rng.choice([1, 100, 500]))
        if self.chance(0.3):
            # Redis Sentinel: 1 to 5 sentinels in random geos, quorum at most their number.
            count = rng.randint(1, 5)
            sentinel = {"geos": [rng.choice(geos) for _ in range(count)], "quorum": rng.randint(1, count)}
            if self.chance(0.8):
                sentinel["down_after_ms"] = rng.choice([r3(rng.uniform(50, 3000)), r3(rng.uniform(50, 3000)), 1000, 30000])
            if self.chance(0.5):
                sentinel["failover_timeout_ms"] = rng.choice([r3(rng.uniform(100, 20000)), 180000])
            if self.chance(0.4):  # the leader re-points the other replicas, this many at a time
                sentinel["parallel_syncs"] = rng.randint(1, 3)
            if self.chance(0.3):
                names = ["active_master_global", "passive_master_global"] + \
                    [f"shard_master_global_{i + 1}" for i in range(shard_count)]
                sentinel["replica_priority"] = {n: rng.choice([0, 1, 10, 100]) for n in names if self.chance(0.4)}
            fo["policy"] = "sentinel"
            fo["sentinel"] = sentinel
            # Sentinel's silence limit is down_after; keep it above the inter-geo latency spread.
            if len(geos) > 1 and sentinel.get("down_after_ms", 30000) < 6 * inter_typical:
                sentinel["down_after_ms"] = 6 * inter_typical
        elif self.chance(0.2):
            # MongoDB elections: 0 to 3 arbiters, timings short enough to fail over within a run;
            # the election timeout and heartbeat timeout stay above the inter-geo latency spread.
            election = {"arbiters": [rng.choice(geos) for _ in range(rng.randint(0, 3))]}
            floor = 6 * inter_typical if len(geos) > 1 else 10
            if self.chance(0.8):
                election["election_timeout_ms"] = r3(max(floor, rng.choice([rng.uniform(10, 3000), 10000])))
            if self.chance(0.8):
                election["heartbeat_interval_ms"] = r3(max(10, rng.choice([rng.uniform(10, 2000), 2000])))
            if self.chance(0.8):
                election["heartbeat_timeout_ms"] = r3(max(floor, rng.choice([rng.uniform(10, 10000), 10000])))
            if self.chance(0.3):
                election["priority"] = {g: rng.choice([0, 1, 2, r3(rng.uniform(0, 1000))]) for g in geos if self.chance(0.5)}
            fo["policy"] = "election"
            fo["election"] = election
        elif self.chance(0.2):
            # Patroni: 1 to 5 store nodes; timings that respect loop_wait + 2 retry_timeout <= ttl.
            ttl = rng.choice([20, 30, r3(rng.uniform(20, 60))])
            retry = r3(rng.uniform(3, (ttl - 1) / 2))
            loop = r3(rng.uniform(1, ttl - 2 * retry)) if ttl - 2 * retry > 1 else 1
            lease = {"store_geos": [rng.choice(geos) for _ in range(rng.randint(1, 5))],
                     "ttl_s": ttl, "loop_wait_s": loop, "retry_timeout_s": retry}
            if self.chance(0.3):
                lease["maximum_lag_on_failover_bytes"] = rng.choice([0, 1048576, 1e12])
            if self.chance(0.3):
                lease["priority"] = {g: rng.choice([0, 1, 2]) for g in geos if self.chance(0.5)}
            fo["policy"] = "lease"
            fo["lease"] = lease
        elif self.chance(0.2):
            # Orchestrator: 1 to 3 nodes, short polls and slave_net_timeout so that a run sees
            # recoveries; promotion rules on some geos.
            orch = {}
            if self.chance(0.7):
                orch["geos"] = [rng.choice(geos) for _ in range(rng.randint(1, 3))]
            if self.chance(0.7):
                orch["instance_poll_s"] = rng.choice([r3(rng.uniform(0.1, 5)), 5])
            if self.chance(0.7):
                orch["connect_timeout_s"] = rng.choice([r3(rng.uniform(0.01, 2)), 2])
            if self.chance(0.7):
                orch["slave_net_timeout_s"] = rng.choice([r3(rng.uniform(1, 10)), 4, 60])
            if self.chance(0.5):
                orch["recovery_period_block_s"] = rng.choice([0, r3(rng.uniform(0, 30)), 3600])
            if self.chance(0.3):
                orch["promotion_rules"] = {g: rng.choice(["prefer", "neutral", "prefer_not", "must_not"])
                                           for g in geos if self.chance(0.5)}
            fo["policy"] = "orchestrator"
            fo["orchestrator"] = orch
        elif self.chance(0.05):
            fo["policy"] = "heartbeat"
        if self.chance(0.15):
            fo["fencing"] = False
        if self.chance(0.15):
            fo["prevent_cross_region_failover"] = True
        policy = rng.choice(["most_caught_up", "preferred_geo", None])
        if policy:
            fo["shard_promotion"] = policy
        if policy == "preferred_geo" or self.chance(0.1):
            fo["preferred_geo"] = rng.choice(geos)
        if fo or self.chance(0.5):
            doc["failover"] = fo

        if self.chance(0.25):
            # Write acknowledgement: semi_sync or quorum on either path, any copies allowed.
            dur = {}
            for path in ("sync_writes", "async_writes"):
                if self.chance(0.7):
                    copies = rng.choice([["standby"], ["shard_master"], ["standby", "shard_master"]])
                    r = {"mode": rng.choice(["async", "semi_sync", "quorum"]), "copies": copies,
                         "replicas": rng.randint(1, len(copies))}
                    if self.chance(0.7):
                        r["timeout_ms"] = rng.choice([r3(rng.uniform(1, 3000)), 10000])
                    dur[path] = r
            doc["durability"] = dur

        failures = self.failures(geos, shard_count, slaves, caches, duration)
        if failures or self.chance(0.3):
            doc["failures"] = failures
        return doc

    def failures(self, geos, shards, slaves, caches, duration):
        rng = self.rng
        crashable = ["active_master_global", "passive_master_global"]
        crashable += [f"shard_master_global_{i}" for i in range(1, shards + 1)]
        for g in geos:
            n = slaves[g]
            for i in range(1, shards + 1):
                if n == 1:
                    crashable.append(f"shard_slave_{g}_{i}")
                else:
                    crashable += [f"shard_slave_{g}_{i}.{j}" for j in range(1, n + 1)]
        # A shard master has no service queue: `slow` does not take it (the loader says so since
        # e5b3549; before, it passed the loader and failed the run: finds/slow-shard-master-refused.json).
        slowable = [n for n in crashable if not n.startswith("shard_master_global_")]
        slowable += ["scheduler", "consumer", "object_store"]
        for g in geos:
            slowable += [f"{role}_{g}" for role in ("api_gateway", "read_api", "write_sync", "write_async")]
            slowable += [f"cache_{g}_{k}" for k in range(1, caches[g] + 1)]
        kinds = ["crash", "slow", "random_crashes"]
        if len(geos) >= 2:
            kinds += ["partition", "latency_spike", "loss"]
        out = []
        for _ in range(rng.choices([0, 1, 2, 3, 4, 6], [3, 4, 3, 2, 1, 1])[0]):
            kind = rng.choice(kinds)
            f = {"kind": kind}
            at = rng.choice([0, duration, r3(rng.uniform(0, duration)), r3(rng.uniform(0, duration))])
            if kind != "random_crashes" or self.chance(0.7):
                f["at_s"] = at
            if kind != "random_crashes" and self.chance(0.75):
                f["duration_s"] = rng.choice([r3(rng.uniform(0.01, 1)), r3(rng.uniform(0.5, duration)),
                                              r3(rng.uniform(duration, 3 * duration))]) or 0.01
            if kind in ("crash", "random_crashes") and self.chance(0.3):
                f["host_up"] = True  # a killed process: its connections reset (sentinel reacts)
            if kind == "crash":
                f["nodes"] = rng.sample(crashable, rng.randint(1, min(3, len(crashable))))
            elif kind == "slow":
                f["nodes"] = rng.sample(slowable, rng.randint(1, min(4, len(slowable))))
                f["factor"] = rng.choice([1, r3(rng.uniform(1, 10)), r3(rng.uniform(10, 1000))])
            elif kind == "random_crashes":
                f["nodes"] = rng.sample(crashable, rng.randint(1, min(4, len(crashable))))
                f["time_between_failures_s"] = self.dist(rng.uniform(0.5, 15), allow_zero=False)
                f["time_to_repair_s"] = self.dist(rng.uniform(0.05, 5), allow_zero=False)
                # at most 100,000 expected crashes per failure (far below, in fact)
                mtbf = max(self.mean(f["time_between_failures_s"], 1), 0.05)
                if len(f["nodes"]) * duration / mtbf > 20000:
                    f["time_between_failures_s"] = {"dist": "exponential", "mean": 5}
            else:
                f["between"] = rng.sample(geos, 2)
                if kind == "partition":
                    if self.chance(0.85):
                        f["mode"] = rng.choice(["hold", "drop"])
                elif kind == "latency_spike":
                    f["extra_ms"] = rng.choice([r3(rng.uniform(0.01, 10)), r3(rng.uniform(10, 2000))]) or 1
                else:
                    f["share"] = rng.choice([1, r3(rng.uniform(0.001, 1))]) or 0.5
            out.append(f)
        return out


# ---------------------------------------------------------------------------------------------
# Running and checking
# ---------------------------------------------------------------------------------------------

class Runner:
    def __init__(self, binary):
        self.binary = binary

    def validate(self, path):
        p = subprocess.run([self.binary, "validate", path], capture_output=True, text=True, timeout=60)
        return p.returncode, (p.stdout + p.stderr).strip()

    def run(self, path, seed, out):
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.monotonic()
        try:
            p = subprocess.run([self.binary, "run", path, "--seed", str(seed), "--out", out, "--color", "never",
                                "--quiet"], capture_output=True, text=True, timeout=RUN_TIMEOUT_S)
            return p.returncode, p.stderr.strip(), time.monotonic() - t0
        except subprocess.TimeoutExpired:
            return None, f"timed out after {RUN_TIMEOUT_S} s", time.monotonic() - t0


def read_bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None


def leaves(value, path=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, f"{path}/{i}")
    else:
        yield path, value


def json_diff(a, b, path=""):
    """Paths where two JSON values differ (at most 20)."""
    out = []
    if type(a) != type(b):
        return [path or "/"]
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}/{k}")
            else:
                out += json_diff(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{path} (length {len(a)} vs {len(b)})")
        for i, (x, y) in enumerate(zip(a, b)):
            out += json_diff(x, y, f"{path}/{i}")
    elif a != b:
        out.append(f"{path}: {a!r} vs {b!r}")
    return out[:20]


SHARE_LEAF = re.compile(r"(_share$|_share_|^fresh_share|^hit_ratio$|^availability$|^utilization$|^p_visible$)")
OPERATION_PERCENTILE = re.compile(r"^(read_hit|read_miss|sync_write|async_write_ack)_p(50|99)_ms_")
BAD_TOKEN = re.compile(r"(?<![A-Za-z_])(NaN|-?Infinity|-?inf|nan)(?![A-Za-z_])")


def strip_json_strings(text):
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def close(a, b, rel=1e-5, abs_=1e-6):
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


# With --skip-known, problems matching these are not counted (each is filed in tools/simtest/finds/).
KNOWN = [
    # None open: each pattern is removed when its find is fixed.
]


def check_report(report, report_text, series_text, scenario, skip_known=False):
    """Problems of one run's outputs: list of (kind, message)."""
    problems = []

    def bad(kind, msg):
        if skip_known and any(k.match(msg) for k in KNOWN):
            return
        problems.append((kind, msg))

    # -- exit / invariants -------------------------------------------------------------------
    inv = report.get("invariants", {})
    conv = report.get("convergence", {})
    if inv.get("ok") is not True:
        bad("exit", f"invariants.ok is {inv.get('ok')}: invariants {json.dumps(inv)}; convergence {json.dumps(conv)}")
    expected_ok = inv.get("reads_at_a_master") == 0 and inv.get("commits_off_the_active_master") == 0 and \
        inv.get("converged_once_healed") is True
    if inv.get("ok") != expected_ok:
        bad("exit", f"invariants.ok {inv.get('ok')} disagrees with its parts {json.dumps(inv)}")
    if conv.get("converged") is True and conv.get("lagging_copies"):
        bad("exit", f"convergence.converged but lagging_copies {conv.get('lagging_copies')}")
    if conv.get("converged") is False and conv.get("failures_in_force", 0) == 0 and inv.get("converged_once_healed"):
        bad("exit", f"not converged with no failure in force, yet converged_once_healed: {json.dumps(conv)}")
    if report.get("run", {}).get("interrupted"):
        bad("exit", "run.interrupted is true")

    # -- finite ------------------------------------------------------------------------------
    if BAD_TOKEN.search(strip_json_strings(report_text)):
        bad("finite", f"report.json has a NaN/Infinity token: {BAD_TOKEN.search(strip_json_strings(report_text)).group(0)}")
    for where, v in leaves({k: v for k, v in report.items() if k != "scenario"}):
        leaf = where.rsplit("/", 1)[-1]
        if v is None:
            # Failover records' steps that did not happen, a geo's availability when nothing
            # finished (checked against its counts below), and min-replicas' first refusal when
            # nothing was refused, are null by design.
            if not where.startswith("/failures/failovers/") and not re.fullmatch(r"/requests/[^/]+/availability", where) \
                    and where != "/durability/min_replicas/first_refusal_at_s":
                bad("finite", f"{where} is null (a NaN?)")
            continue
        if isinstance(v, bool) or isinstance(v, str):
            continue
        if not math.isfinite(v):
            bad("finite", f"{where} = {v}")
            continue
        if v < 0:
            bad("finite", f"{where} = {v} < 0")
        if SHARE_LEAF.search(leaf) and not (0 <= v <= 1 + 1e-9):
            bad("finite", f"{where} = {v}, outside [0, 1]")
    def hists(value, path=""):
        if isinstance(value, dict):
            if "p50_ms" in value and "max_ms" in value:
                yield path, value
            else:
                for k, v in value.items():
                    yield from hists(v, f"{path}/{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from hists(v, f"{path}/{i}")
    for where, h in hists({k: v for k, v in report.items() if k != "scenario"}):
        qs = [h.get(q) for q in ("p50_ms", "p95_ms", "p99_ms", "p999_ms", "max_ms")]
        if any(not isinstance(q, (int, float)) for q in qs):
            continue
        if any(a > b * (1 + 1e-9) + 1e-9 for a, b in zip(qs, qs[1:])):
            bad("finite", f"{where}: percentiles out of order {qs}")
        if isinstance(h.get("mean_ms"), (int, float)) and h["mean_ms"] > h["max_ms"] * (1 + 1e-6) + 1e-6:
            bad("finite", f"{where}: mean_ms {h['mean_ms']} > max_ms {h['max_ms']}")
        if h.get("count") == 0 and any(qs):
            bad("finite", f"{where}: count 0 but percentiles {qs}")
    # time series
    caps = node_capacities(scenario)
    async_cap = scenario.get("async_path", {}).get("queue_capacity")
    warmup = scenario.get("report", {}).get("warmup_s", 0)
    if BAD_TOKEN.search(series_text):
        bad("finite", f"timeseries.csv has a NaN/inf token: {BAD_TOKEN.search(series_text).group(0)}")
    lines = series_text.splitlines()
    if not lines:
        bad("finite", "timeseries.csv is empty")
    else:
        header = lines[0].split(",")
        last_t = -1.0
        prev_t = 0.0
        bad_cells = 0
        over = 0
        observed = {}  # geo -> [answers, failures, rounding tolerance] summed over the window's rows
        for n, line in enumerate(lines[1:], 2):
            cells = line.split(",")
            if len(cells) != len(header):
                bad("finite", f"timeseries.csv line {n}: {len(cells)} cells, header has {len(header)}")
                break
            for name, cell in zip(header, cells):
                # Per-operation percentiles are empty for an interval that answered no request of
                # the kind (docs/metrics.md); every other cell holds a number.
                if cell == "" and OPERATION_PERCENTILE.match(name):
                    continue
                try:
                    v = float(cell)
                except ValueError:
                    v = float("nan")
                ok = math.isfinite(v) and v >= 0 and (not name.startswith("fresh_share_") or v <= 1 + 1e-9)
                if not ok:
                    bad_cells += 1
                    if bad_cells <= 3:
                        bad("finite", f"timeseries.csv line {n} column {name} = {cell!r}")
            t = float(cells[0]) if cells and cells[0] else -1
            if not t > last_t:
                bad("finite", f"timeseries.csv line {n}: time_s {cells[0]} not after {last_t}")
            last_t = t
            dt = t - prev_t
            prev_t = t
            for name, cell in zip(header, cells):
                try:
                    v = float(cell)
                except ValueError:
                    continue
                if name.startswith("queue_"):
                    node = name[len("queue_"):]
                    cap = async_cap if node == "message_queue" else caps.get(node)
                    if cap is not None and v > cap:
                        over += 1
                        if over <= 3:
                            bad("accounting", f"timeseries.csv line {n}: {name} {cell} > queue capacity {cap}")
                elif t > warmup + 1e-9 and name.startswith(("throughput_", "failed_")) and name.endswith("_per_s"):
                    which, geo = name[:-len("_per_s")].split("_", 1)
                    o = observed.setdefault(geo, [0.0, 0.0, 0.0])
                    o[0 if which == "throughput" else 1] += v * dt
                    o[2] += 0.05 * dt / 2  # each cell is printed with one decimal
        if abs(last_t - scenario_duration(scenario)) > 0.0005 + 1e-9:
            bad("finite", f"timeseries.csv ends at {last_t} s, not at duration_s {scenario_duration(scenario)}")
        # The rows count every answer a client got in the window, the report only those to requests
        # issued in it: the report's figures are at most the rows', and the rows' at most the
        # report's plus the requests in flight when the window opened (<= the peak in flight).
        peak = report.get("run", {}).get("peak_requests_in_flight", 0)
        for geo, r in report.get("requests", {}).items():
            a, f, tol = observed.get(geo, [0.0, 0.0, 0.0])
            tol += 1e-6
            if r["requests_answered"] > a + tol:
                bad("accounting", f"{geo}: requests_answered {r['requests_answered']} > answers in the time series {a:.1f}")
            if r["requests_failed"] > f + tol:
                bad("accounting", f"{geo}: requests_failed {r['requests_failed']} > failures in the time series {f:.1f}")
            if a + f > r["requests_answered"] + r["requests_failed"] + peak + 2 * tol:
                bad("accounting", f"{geo}: the time series' answers + failures {a + f:.1f} > the report's "
                                  f"{r['requests_answered'] + r['requests_failed']} + peak in flight {peak}")

    # -- accounting --------------------------------------------------------------------------
    run = report.get("run", {})
    peak = run.get("peak_requests_in_flight", 0)
    measured = run.get("measured_s", 0)
    missing_total = 0
    for geo, r in report.get("requests", {}).items():
        issued, answered, failed = r["requests_issued"], r["requests_answered"], r["requests_failed"]
        if answered + failed > issued:
            bad("accounting", f"{geo}: answered {answered} + failed {failed} = {answered + failed} > issued {issued}")
        missing_total += issued - answered - failed
        lat = r.get("latency", {})
        s = sum(v.get("count", 0) for k, v in lat.items() if k != "async_write_commit")
        if s != answered:
            bad("accounting", f"{geo}: sum of latency counts (but async_write_commit) {s} != requests_answered {answered}")
        fb = sum(r.get("failed_by_operation", {}).values())
        if fb != failed:
            bad("accounting", f"{geo}: sum(failed_by_operation) {fb} != requests_failed {failed}")
        fl = r.get("failed_latency", {}).get("count")
        if fl is not None and fl != failed:
            bad("accounting", f"{geo}: failed_latency.count {fl} != requests_failed {failed}")
        if answered + failed == 0:  # nothing finished: no availability (null), not 1.0
            if r.get("availability", -1) is not None:
                bad("accounting", f"{geo}: availability {r.get('availability')} with no request finished (expected null)")
        elif not close(r.get("availability") if r.get("availability") is not None else -1,
                       answered / (answered + failed), 1e-5, 2e-6):
            bad("accounting", f"{geo}: availability {r.get('availability')} != {answered / (answered + failed):.6f}")
        if measured > 0 and not close(r.get("throughput_per_s", -1), answered / measured, 1e-5, 2e-6):
            bad("accounting", f"{geo}: throughput_per_s {r.get('throughput_per_s')} != answered / measured_s {answered / measured:.6f}")
        c = report.get("caches", {}).get(geo)
        if c is not None:
            if c["hits"] > c["lookups"]:
                bad("accounting", f"caches.{geo}: hits {c['hits']} > lookups {c['lookups']}")
            if c["lookups"] and not close(c["hit_ratio"], c["hits"] / c["lookups"], 1e-5, 2e-6):
                bad("accounting", f"caches.{geo}: hit_ratio {c['hit_ratio']} != hits / lookups")
            rh = lat.get("read_hit", {}).get("count", 0)
            if rh > c["hits"]:
                bad("accounting", f"{geo}: latency.read_hit.count {rh} > caches.{geo}.hits {c['hits']}")
    if missing_total > peak:
        bad("accounting", f"sum over geos of issued - answered - failed = {missing_total} > peak_requests_in_flight {peak}")
    for geo, st in report.get("staleness", {}).items():
        for src in ("cache", "slave"):
            x = st.get(src)
            if x and x["stale_reads"] > x["reads"]:
                bad("accounting", f"staleness.{geo}.{src}: stale_reads {x['stale_reads']} > reads {x['reads']}")
    repl = report.get("replication", {})
    fails = report.get("failures", {})
    lost = fails.get("summary", {}).get("writes_lost", 0)
    if "commits_total" in repl and repl["commits_total"] != repl.get("log_entries_total", 0) + lost:
        bad("accounting", f"replication.commits_total {repl['commits_total']} != log_entries_total "
                          f"{repl.get('log_entries_total')} + writes_lost {lost}")
    fl_lost = sum(f.get("writes_lost", 0) or 0 for f in fails.get("failovers", []))
    if fl_lost != lost:
        bad("accounting", f"failures.summary.writes_lost {lost} != sum of failovers' writes_lost {fl_lost}")
    for n in report.get("nodes", []):
        cap = caps.get(n["name"])
        if cap is not None and n["max_queue"] > cap:
            bad("accounting", f"node {n['name']}: max_queue {n['max_queue']} > queue_capacity {cap}")
        if n["mean_queue"] > n["max_queue"] + 1e-9:
            bad("accounting", f"node {n['name']}: mean_queue {n['mean_queue']} > max_queue {n['max_queue']}")
    ap = report.get("async_path", {})
    if ap:
        if ap["queue_max_depth"] > ap["queue_capacity"]:
            bad("accounting", f"async_path.queue_max_depth {ap['queue_max_depth']} > queue_capacity {ap['queue_capacity']}")
        if ap["queue_depth_at_end"] > ap["queue_max_depth"]:
            bad("accounting", f"async_path.queue_depth_at_end {ap['queue_depth_at_end']} > queue_max_depth {ap['queue_max_depth']}")
        if ap["queue_depth_at_end"] > ap["queue_capacity"]:
            bad("accounting", f"async_path.queue_depth_at_end {ap['queue_depth_at_end']} > queue_capacity {ap['queue_capacity']}")
    # the same counts seen from two sections
    for geo in scenario.get("geos", []):
        c = report.get("caches", {}).get(geo, {})
        e = report.get("eighty_twenty", {}).get(geo, {}).get("hot_cold_split", {})
        st = report.get("staleness", {}).get(geo, {})
        slb = report.get("load_balancers", {}).get(geo, {}).get("slb", [])
        lb_reads = sum(x["reads"] for sh in slb for x in sh["slaves"])
        if not (c.get("hits") == e.get("cache_hits") == st.get("cache", {}).get("reads")):
            bad("accounting", f"{geo}: cache hits differ: caches {c.get('hits')}, eighty_twenty {e.get('cache_hits')}, "
                              f"staleness {st.get('cache', {}).get('reads')}")
        if not (e.get("slave_reads") == st.get("slave", {}).get("reads") == lb_reads):
            bad("accounting", f"{geo}: slave reads differ: eighty_twenty {e.get('slave_reads')}, staleness "
                              f"{st.get('slave', {}).get('reads')}, load balancers {lb_reads}")
        rm = report.get("requests", {}).get(geo, {}).get("latency", {}).get("read_miss", {}).get("count", 0)
        if e.get("slave_reads") is not None and rm > e["slave_reads"]:
            bad("accounting", f"{geo}: latency.read_miss.count {rm} > slave reads {e['slave_reads']}")
        for sh in slb:
            if sum(x["reads"] for x in sh["slaves"]) and abs(sum(x["load_share"] for x in sh["slaves"]) - 1) > 1e-5 * len(sh["slaves"]):
                bad("accounting", f"{geo}: shard {sh.get('shard')}: load shares sum to {sum(x['load_share'] for x in sh['slaves'])}")
        cs = scenario.get("caches", {}).get(geo, {})
        if c and c.get("keys_held_at_end", 0) > cs.get("nodes", 1) * cs.get("capacity_keys_per_node", 1000):
            bad("accounting", f"caches.{geo}: keys_held_at_end {c['keys_held_at_end']} > nodes x capacity")
        lag = report.get("consistency_lag", {}).get("geos", {}).get(geo, {})
        # (the last hop is recorded only when the shard master applied the entry first: after a
        # shard failover a slave can apply entries no shard master applied before it)
        if lag and lag["end_to_end"]["count"] < lag["shard_master_to_slave"]["count"]:
            bad("accounting", f"consistency_lag.{geo}: end_to_end.count {lag['end_to_end']['count']} < "
                              f"shard_master_to_slave.count {lag['shard_master_to_slave']['count']}")
    fo = fails.get("failovers", [])
    summ = fails.get("summary", {})
    if summ:
        if summ.get("failovers") != len(fo):
            bad("accounting", f"failures.summary.failovers {summ.get('failovers')} != {len(fo)} records")
        if summ.get("false_failovers") != sum(1 for f in fo if f.get("false_failover")):
            bad("accounting", f"failures.summary.false_failovers {summ.get('false_failovers')} != records marked false")
        sw = sum(f.get("sync_writes_failed") or 0 for f in fo)
        if summ.get("sync_writes_failed") != sw:
            bad("accounting", f"failures.summary.sync_writes_failed {summ.get('sync_writes_failed')} != sum over records {sw}")
        wu = max([f["write_unavailability_s"] for f in fo if f.get("write_unavailability_s") is not None] + [0])
        if not close(summ.get("worst_write_unavailability_s", 0), wu, 1e-6, 1e-6):
            bad("accounting", f"failures.summary.worst_write_unavailability_s {summ.get('worst_write_unavailability_s')} != max {wu}")
    mr = report.get("durability", {}).get("min_replicas")
    if mr is not None:  # min-replicas-to-write's refusals add up
        if mr["refused_writes"] != mr["refused_sync_writes"] + mr["refused_async_writes"] or \
                mr["refused_by_old_master"] > mr["refused_writes"] or \
                (mr["refused_writes"] > 0) != (mr["first_refusal_at_s"] is not None):
            bad("accounting", f"durability.min_replicas does not add up: {json.dumps(mr)}")
    pm = scenario.get("failover", {}).get("promotion_ms")
    if scenario.get("failover", {}).get("policy") in ("sentinel", "election", "lease"):
        pm = None  # the promotion is a message from the sentinel leader, or the winner's own
    for i, f in enumerate(fo):
        if f.get("failed_at_s") is not None and f.get("detected_at_s") is not None and f["failed_at_s"] > f["detected_at_s"]:
            bad("accounting", f"/failures/failovers/{i}: failed_at_s {f['failed_at_s']} > detected_at_s {f['detected_at_s']}")
        rc = f.get("reconfiguration")
        if rc is not None:  # Sentinel's parallel_syncs: the leader's re-pointing of the other replicas
            if rc["reconfigured"] + rc["skipped"] > rc["replicas"] or rc["full_syncs"] > rc["replicas"]:
                bad("accounting", f"/failures/failovers/{i}/reconfiguration counts exceed its replicas: {json.dumps(rc)}")
            if f.get("reconfiguration_s") is not None and f["reconfiguration_s"] < 0:
                bad("accounting", f"/failures/failovers/{i}: reconfiguration_s {f['reconfiguration_s']} < 0")
        if isinstance(pm, (int, float)) and f.get("promotion_s") is not None and not close(f["promotion_s"], pm / 1000, 1e-5, 1e-6):
            bad("accounting", f"/failures/failovers/{i}: promotion_s {f['promotion_s']} != promotion_ms {pm} (a constant)")
    ats = [e.get("at_s", 0) for e in fails.get("timeline", [])]
    if ats != sorted(ats):
        bad("accounting", "failures.timeline is not in time order")
    if ats and ats[-1] > scenario_duration(scenario) + 1e-9:
        bad("accounting", f"failures.timeline has an event at {ats[-1]} s, after duration_s")
    if not close(run.get("simulated_s", -1), scenario_duration(scenario), 1e-9, 1e-6):
        bad("accounting", f"run.simulated_s {run.get('simulated_s')} != duration_s {scenario_duration(scenario)}")
    if not close(measured, scenario_duration(scenario) - scenario.get("report", {}).get("warmup_s", 0), 1e-9, 1e-6):
        bad("accounting", f"run.measured_s {measured} != duration_s - warmup_s")
    return problems


def coverage(doc, report):
    """Tags of what a scenario exercised, for the totals."""
    tags = set(f"failure:{f['kind']}" for f in doc.get("failures", []))
    fails = report.get("failures", {})
    fo = fails.get("failovers", [])
    if fo:
        tags.add("failover")
    if any(f.get("false_failover") for f in fo):
        tags.add("false failover")
    if any(f.get("role") == "active_master" and f.get("promoted") for f in fo):
        tags.add("global master promoted")
    if any(f.get("role") == "shard_master" and f.get("promoted") for f in fo):
        tags.add("shard master promoted")
    if any(e.get("event") == "promotion_failed" for e in fails.get("timeline", [])):
        tags.add("promotion_failed")
    for path in ("sync_writes", "async_writes"):
        d = report.get("durability", {}).get(path, {})
        if d.get("mode") in ("semi_sync", "quorum") and d.get("held", 0):
            tags.add(f"durability {d['mode']}")
        if d.get("fallbacks_to_async", 0):
            tags.add("semi_sync fallback")
        if d.get("timed_out", 0):
            tags.add("quorum timeout")
    if doc.get("failover", {}).get("policy") == "sentinel":
        tags.add("sentinel")
        if any(e.get("event") == "elected_leader" for e in fails.get("timeline", [])):
            tags.add("sentinel leader elected")
        if any(e.get("event") == "failover_abort_not_elected" for e in fails.get("timeline", [])):
            tags.add("sentinel election abandoned")
        if any(e.get("event") == "slave_reconf_done" for e in fails.get("timeline", [])):
            tags.add("sentinel replica reconfigured")
    if report.get("durability", {}).get("min_replicas", {}).get("refused_writes", 0):
        tags.add("min-replicas refused writes")
    policy = doc.get("failover", {}).get("policy")
    if fails.get("summary", {}).get("divergent_writes", 0):
        tags.add("divergent writes")
    if policy in ("election", "lease", "orchestrator"):
        tags.add(policy)
        events = {e.get("event") for e in fails.get("timeline", [])}
        for event in ("elected", "cannot_see_majority", "stepped_down", "demoted", "acquired_key", "writes_refused",
                      "dead_master", "dead_master_and_some_replicas", "recovery_blocked"):
            if event in events:
                tags.add(f"{policy} {event}")
    if fails.get("summary", {}).get("writes_lost", 0):
        tags.add("writes lost")
    repl = report.get("replication", {})
    if repl.get("lapses_total", 0):
        tags.add("lapse")
    if any(x.get("snapshots_total", 0) for x in repl.get("streams", [])):
        tags.add("snapshot")
    if any(n.get("rejected", 0) for n in report.get("nodes", [])):
        tags.add("node queue full")
    if any(n.get("utilization", 0) > 0.9 for n in report.get("nodes", [])):
        tags.add("node utilization > 0.9")
    if report.get("async_path", {}).get("queue_rejected_total", 0):
        tags.add("message queue full")
    if any(r.get("requests_failed", 0) for r in report.get("requests", {}).values()):
        tags.add("requests failed")
    conv = report.get("convergence", {})
    if conv.get("converged") is False:
        tags.add("not converged (failures in force)")
    if conv.get("drain_s", 0) > 10:
        tags.add("drain > 10 s")
    if any(c.get("hits", 0) for c in report.get("caches", {}).values()):
        tags.add("cache hits")
    return tags


def scenario_duration(eff):
    return eff.get("duration_s", 60)


def node_capacities(eff):
    """Node name -> queue capacity, from the effective scenario (every default filled in)."""
    caps = {}
    try:
        geos = eff["geos"]
        q = lambda node: node.get("queue_capacity", 1000)
        caps["active_master_global"] = caps["passive_master_global"] = q(eff["global_master"]["node"])
        for role in ("api_gateway", "read_api", "write_sync", "write_async"):
            for g in geos:
                caps[f"{role}_{g}"] = q(eff["front_end"][role])
        for g in geos:
            for k in range(1, eff["caches"][g]["nodes"] + 1):
                caps[f"cache_{g}_{k}"] = q(eff["caches"][g]["node"])
        caps["scheduler"] = q(eff["async_path"]["scheduler"])
        caps["consumer"] = q(eff["async_path"]["consumer"])
        caps["object_store"] = q(eff["async_path"]["object_store"])
        # slaves and shard masters: a promoted slave becomes a shard master, so only the larger bound
        bound = max(q(eff["slaves"]["node"]), q(eff["shard_masters"]["node"]))
        shards = eff["shards"]
        n_shards = len(shards) if isinstance(shards, list) else shards["shard_count"]
        for i in range(1, n_shards + 1):
            caps[f"shard_master_global_{i}"] = bound
            for g in geos:
                m = eff["slaves"]["per_shard_per_geo"].get(g, 1)
                for j in range(1, m + 1):
                    caps[f"shard_slave_{g}_{i}" if m == 1 else f"shard_slave_{g}_{i}.{j}"] = bound
    except (KeyError, TypeError):
        pass
    return caps


def check_scenario(runner, path, seed, work, skip_known=False):
    """Runs one accepted scenario through every check. Returns (problems, report or None, runs)."""
    problems = []
    out_a, out_b, out_c = (os.path.join(work, x) for x in ("a", "b", "c"))
    code, err, wall = runner.run(path, seed, out_a)
    runs = 1
    if code is None:
        return [("exit", f"run {err}")], None, runs, wall
    if code != 0:
        kind = {1: "an invariant failed", 2: "run refused a scenario validate accepted",
                3: "an output could not be written"}.get(code, "crashed" if code < 0 else "unexpected code")
        problems.append(("exit", f"exit code {code} ({kind}): {err[:600]}"))
    report_text = read_bytes(os.path.join(out_a, "report.json"))
    series_text = read_bytes(os.path.join(out_a, "timeseries.csv"))
    eff_text = read_bytes(os.path.join(out_a, "scenario.effective.json"))
    if report_text is None or series_text is None or eff_text is None:
        problems.append(("exit", f"missing outputs in --out DIR: {sorted(os.listdir(out_a)) if os.path.isdir(out_a) else 'no DIR'}"))
        return problems, None, runs, wall
    try:
        report = json.loads(report_text.decode(), parse_constant=lambda c: float("nan"))
        eff = json.loads(eff_text.decode())
    except ValueError as e:
        problems.append(("finite", f"report.json or scenario.effective.json is not JSON: {e}"))
        return problems, None, runs, wall
    problems += check_report(report, report_text.decode(), series_text.decode(), eff, skip_known)

    # -- repeatable -------------------------------------------------------------------------
    code_b, err_b, wall_b = runner.run(path, seed, out_b)
    runs += 1
    for name, first in (("report.json", report_text), ("timeseries.csv", series_text),
                        ("scenario.effective.json", eff_text)):
        second = read_bytes(os.path.join(out_b, name))
        if second != first:
            detail = ""
            if name == "report.json" and second:
                detail = "; differing: " + ", ".join(json_diff(report, json.loads(second.decode(), parse_constant=lambda c: None)))
            problems.append(("repeatable", f"a second identical run gave other {name} bytes{detail}"))
    if code_b != code:
        problems.append(("repeatable", f"a second identical run exited {code_b}, the first {code}"))

    # -- effective --------------------------------------------------------------------------
    eff_path = os.path.join(work, "effective.json")
    with open(eff_path, "wb") as f:
        f.write(eff_text)
    vcode, vmsg = runner.validate(eff_path)
    if vcode != 0:
        problems.append(("effective", f"validate rejects the effective scenario: {vmsg[:600]}"))
    else:
        code_c, err_c, wall_c = runner.run(eff_path, seed, out_c)
        runs += 1
        third = read_bytes(os.path.join(out_c, "report.json"))
        if code_c != code:
            problems.append(("effective", f"the effective scenario exits {code_c}, the original {code}: {err_c[:300]}"))
        if third != report_text:
            detail = ""
            if third:
                detail = "; differing: " + ", ".join(json_diff(report, json.loads(third.decode(), parse_constant=lambda c: None)))
            problems.append(("effective", f"the effective scenario gave another report.json{detail}"))
        if read_bytes(os.path.join(out_c, "timeseries.csv")) != series_text:
            problems.append(("effective", "the effective scenario gave another timeseries.csv"))
        if read_bytes(os.path.join(out_c, "scenario.effective.json")) != eff_text:
            problems.append(("effective", "the effective scenario's own effective scenario differs (not a fixed point)"))
    return problems, report, runs, wall


def snapshot_binary(binary, work):
    """A private copy of the binary (a rebuild during the campaign cannot swap it), and its hash."""
    for _ in range(60):
        try:
            copy = os.path.join(work, "shardsim")
            shutil.copy2(binary, copy)
            probe = subprocess.run([copy, "--help"], capture_output=True, timeout=30)
            if probe.returncode == 0:
                with open(copy, "rb") as f:
                    digest = hashlib.sha256(f.read()).hexdigest()[:16]
                return copy, digest
        except (OSError, subprocess.SubprocessError):
            pass
        time.sleep(5)  # the binary is being relinked
    sys.exit(f"simtest: cannot run {binary}")


def main():
    parser = argparse.ArgumentParser(usage=argparse.SUPPRESS, description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60, help="time budget (default 60)")
    parser.add_argument("--seed", type=int, default=None, help="campaign seed (default: from the clock)")
    parser.add_argument("--binary", default=os.path.join(REPO, "build", "shardsim"), help="default build/shardsim")
    parser.add_argument("--keep", default=None, help="directory for the scenarios of violations")
    parser.add_argument("--max-runs", type=int, default=None, help="stop after N scenarios (3 runs each)")
    parser.add_argument("--index", type=int, default=0, help="first scenario index (default 0)")
    parser.add_argument("--budget", type=float, default=30000, help="expected requests per scenario at most")
    parser.add_argument("--verbose", action="store_true", help="one line per scenario")
    parser.add_argument("--skip-known", action="store_true",
                        help="ignore the signatures of the open finds in tools/simtest/finds/")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time() * 1000) % (10**9)
    keep_given = args.keep is not None
    keep = args.keep or tempfile.mkdtemp(prefix=f"simtest-{seed}-")
    os.makedirs(keep, exist_ok=True)
    work = tempfile.mkdtemp(prefix="simtest-work-")
    binary, digest = snapshot_binary(args.binary, work)
    runner = Runner(binary)
    print(f"simtest: seed {seed}, budget {args.seconds:g} s, binary {args.binary} (sha256 {digest}...)", flush=True)
    totals = dict(scenarios=0, rejected=0, scenarios_run=0, runs=0, simulated_s=0.0, events=0, run_wall_s=0.0)
    slowest = (0.0, None)
    violations = {}
    covered = {}
    finds = []
    start = time.monotonic()
    deadline = start + args.seconds
    last_progress = start
    index = args.index
    try:
        while time.monotonic() < deadline and (args.max_runs is None or totals["scenarios"] < args.max_runs):
            rng = random.Random(f"{seed}/{index}")
            doc = Gen(rng, args.budget, args.skip_known).scenario(index)
            run_seed = rng.randint(0, 2**64 - 1)
            totals["scenarios"] += 1
            path = os.path.join(work, f"scenario-{index}.json")
            with open(path, "w") as f:
                json.dump(doc, f, indent=1)
            vcode, vmsg = runner.validate(path)
            if vcode != 0:
                totals["rejected"] += 1
                kept = os.path.join(keep, f"rejected-{seed}-{index}.json")
                shutil.copy(path, kept)
                print(f"simtest: GENERATOR BUG: scenario {index} rejected by validate (kept as {kept}):\n  "
                      + "\n  ".join(vmsg.splitlines()[:8]), flush=True)
                os.remove(path)
                index += 1
                continue
            problems, report, runs, wall = check_scenario(runner, path, run_seed, work, args.skip_known)
            totals["scenarios_run"] += 1
            totals["runs"] += runs
            totals["run_wall_s"] += wall
            if wall > slowest[0]:
                slowest = (wall, index)
            if report:
                for tag in coverage(doc, report):
                    covered[tag] = covered.get(tag, 0) + 1
                totals["simulated_s"] += report.get("run", {}).get("simulated_s", 0)
                totals["events"] += report.get("run", {}).get("events", 0)
            if args.verbose:
                ev = report.get("run", {}).get("events", 0) if report else 0
                print(f"simtest: scenario {index}: {len(doc['geos'])} geos, {doc['duration_s']} s, {ev} events, "
                      f"{wall:.2f} s wall, {len(problems)} problems", flush=True)
            if problems:
                kept = os.path.join(keep, f"find-{seed}-{index}.json")
                shutil.copy(path, kept)
                with open(kept[:-5] + ".txt", "w") as f:
                    f.write(f"campaign seed {seed}, scenario {index}, run seed {run_seed}, binary sha256 {digest}\n")
                    for kind, msg in problems:
                        f.write(f"{kind}: {msg}\n")
                    f.write(f"reproduce with: shardsim run {kept} --seed {run_seed}\n")
                for kind in sorted(set(k for k, _ in problems)):
                    violations[kind] = violations.get(kind, 0) + 1
                print(f"simtest: VIOLATION in scenario {index} (campaign seed {seed}):", flush=True)
                for kind, msg in problems[:12]:
                    print(f"  [{kind}] {msg}")
                if len(problems) > 12:
                    print(f"  ... and {len(problems) - 12} more (see {kept[:-5]}.txt)")
                print(f"  scenario: {kept}")
                print(f"  reproduce with: shardsim run {kept} --seed {run_seed}", flush=True)
                finds.append(kept)
            os.remove(path)
            index += 1
            if time.monotonic() - last_progress > 60:
                last_progress = time.monotonic()
                print(f"simtest: ... {totals['scenarios']} scenarios, {totals['events']} events, "
                      f"{sum(violations.values())} violating scenarios", flush=True)
    except KeyboardInterrupt:
        print("simtest: interrupted", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - start
    n = totals["scenarios"]
    print(f"simtest: {elapsed:.0f} s wall, seed {seed}")
    print(f"simtest: {n} scenarios generated, {totals['rejected']} rejected by validate "
          f"({100.0 * totals['rejected'] / n if n else 0:.2f}%), {totals['scenarios_run']} run")
    print(f"simtest: {totals['runs']} runs, {totals['simulated_s']:.0f} simulated s, {totals['events']} events "
          f"(first runs), slowest first run {slowest[0]:.2f} s (scenario {slowest[1]})")
    print("simtest: coverage (scenarios): " + ", ".join(f"{k} {v}" for k, v in sorted(covered.items())))
    if violations:
        print("simtest: violations by kind (scenarios): " + ", ".join(f"{k} {v}" for k, v in sorted(violations.items())))
        print(f"simtest: kept in {keep}")
        return 1
    print("simtest: violations: none")
    if totals["rejected"] == 0 and not keep_given:
        shutil.rmtree(keep, ignore_errors=True)
    elif totals["rejected"]:
        print(f"simtest: rejected scenarios kept in {keep}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
