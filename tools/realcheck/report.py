"""Tables and docs/realcheck.md from a study's results (realcheck.py writes results.json)."""
import subprocess

from stats import summary

# key, label, unit ("s", "ms" for a lag kept in seconds, "n"), the real side's definition, the
# simulated side's (None: the model has no such step), and the target the row is held to.
METRICS = [
    ("+sdown", "SDOWN (first sentinel)", "s", "crash to the first `+sdown master`", None, None),
    ("+odown", "detection: ODOWN (first sentinel)", "s", "crash to the first `+odown`",
     "crash to the timeline's first `odown`", "time"),
    ("attempts", "failover attempts", "n", "`+try-failover` events (one per candidate)",
     "`try_failover` timeline events", None),
    ("+elected-leader", "leader elected", "s", "crash to `+elected-leader`",
     "crash to the timeline's `elected_leader` (= `detection_s`)", None),
    ("election", "election", "s", "the leader's `+try-failover` to its `+elected-leader`",
     "`election_s`", None),
    ("+failover-state-wait-promotion", "REPLICAOF NO ONE sent", "s",
     "crash to `+failover-state-wait-promotion` (sent)",
     "`promoted` (arrival) less the leader-to-standby latency: the election plus the leader's "
     "two ticks (`promotion_s` less the trip)", None),
    ("+promoted-slave", "leader sees the new role", "s", "crash to `+promoted-slave`",
     "`routing_updated` in the leader's geo, less `routing_update_ms` and the in-geo hop", None),
    ("+switch-master", "promotion: first +switch-master", "s",
     "crash to the first `+switch-master` (any sentinel)",
     "the earliest `routing_updated` in another sentinel's geo, less `routing_update_ms`", "time"),
    ("leader_switch", "leader's +switch-master (failover end)", "s",
     "crash to the leader's own `+switch-master`, after `+slave-reconf-done`",
     "crash to the timeline's `failover_end` (the leader saw the shard master re-pointed; Redis's "
     "`+switch-master` follows a tick later)", None),
    ("first_commit_new_master", "write unavailability", "s",
     "crash to the first write the new master committed (its ack less the one-way delay back)",
     "`write_unavailability_s` (rebuilt from the promotion when the model filed the failover as "
     "false: see the discussion)", None),
    ("client_unavailability", "client-observed unavailability", "s",
     "the client's last ack before the crash to its first ack from the new master", None, None),
    ("acked_lost", "acknowledged writes lost", "n",
     "acknowledged keys absent from the new master at the end", "`acknowledged_writes_lost`", "count"),
    ("lag_standby", "standby lag before the crash", "ms",
     "median over the last 5 s of INFO samples: master offset history vs the replica's offset",
     "`consistency_lag.master_to_standby.p50_ms` (a run stopped at the crash)", None),
    ("lag_replica", "other replica's lag before the crash", "ms", "as above, the second replica",
     "`consistency_lag.master_to_shard_master.p50_ms` (same)", None),
]
SIM_UNDEFINED = {k for k, _, _, _, sim, _ in METRICS if sim is None}


def fmt(x, unit):
    if x is None:
        return "—"
    if unit == "ms":
        return f"{x * 1000:.1f} ms"
    if unit == "n":
        return f"{x:.2f}" if x != int(x) else f"{int(x)}"
    return f"{x:.3f} s"


def cell(s, unit, key):
    if s is None:
        return "—"
    text = f"{fmt(s['median'], unit)} [{fmt(s['p10'], unit)}, {fmt(s['p90'], unit)}]"
    if key == "acked_lost":
        lo, hi = s["ci95"]
        text += f"; mean {s['mean']:.2f} (95% CI {max(0.0, lo):.2f} to {hi:.2f})"
    return text


def verdict(key, target, r, s):
    if target is None or r is None or s is None:
        return ""
    if target == "count":
        lo, hi = r["ci95"]
        ok = lo - 1e-9 <= s["mean"] <= hi + 1e-9
        return "met" if ok else "**missed**"
    within = r["median"] and abs(s["median"] / r["median"] - 1) <= 0.15
    inside = r["p10"] <= s["median"] <= r["p90"]
    return "met" if within or inside else "**missed**"


def rows(setting):
    out = []
    for key, label, unit, _, _, target in METRICS:
        r = summary([m.get(key) for m in setting["real"]])
        s = None if key in SIM_UNDEFINED else summary([m.get(key) for m in setting["sim"]])
        ratio = f"{s['median'] / r['median']:.2f}" if r and s and r["median"] else "—"
        out.append((label, cell(r, unit, key), cell(s, unit, key), ratio, verdict(key, target, r, s)))
    return out


def describe(setting):
    st = setting["setup"]
    mr = (f"min-replicas-to-write {st['min_replicas']} (max-lag {st['min_replicas_max_lag']} s), "
          "on both sides") if st["min_replicas"] else "plain async"
    crash = "SIGKILL" if st["crash"] == "kill" else "SIGSTOP (a silent master)"
    return (f"down-after-milliseconds {st['down_after_ms']}, {mr}, crash by {crash}; "
            f"{len(setting['real'])} real trials, {len(setting['sim'])} shardsim seeds")


def table(setting):
    lines = [f"### {setting['name']}: {describe(setting)}", "",
             "| metric | real median [p10, p90] | simulated median [p10, p90] | ratio | target |",
             "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows(setting)]
    return "\n".join(lines) + "\n"


def tables(results):
    return "\n".join(table(s) for s in results["settings"])


def missing_metrics(results):
    """Every metric a side defines but did not produce, and any link that escaped the proxy."""
    out = []
    for st in results["settings"]:
        for side in ("real", "sim"):
            for i, m in enumerate(st[side]):
                for key, *_ in METRICS:
                    if side == "sim" and key in SIM_UNDEFINED:
                        continue
                    if m.get(key) is None:
                        out.append(f"{st['name']} {side} #{i + 1}: no {key}")
        for i, m in enumerate(st["real"]):
            if m["unrouted_links"]:
                out.append(f"{st['name']} real #{i + 1}: links not through the proxy: {m['unrouted_links']}")
            if not m["promoted_standby"]:
                out.append(f"{st['name']} real #{i + 1}: Sentinel promoted the other replica")
    return out


def redis_version():
    try:
        return subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "redis-server not found"


def normalize(results):
    """Recompute what an older harness computed differently, from the stored event streams."""
    from trial import election_time
    for st in results["settings"]:
        for m in st["real"]:
            if m.get("leader"):
                m["election"] = election_time(m["events"], m["leader"])
    return results


def write_doc(results, path):
    normalize(results)
    import discussion
    with open(path, "w") as f:
        f.write(discussion.document(results, redis_version()))
