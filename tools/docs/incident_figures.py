#!/usr/bin/env python3
"""Fills the simulated figures of docs/incidents.md from runs of scenarios/incidents/, so that no
simulated number in its tables is typed by hand.

A figure is a table cell that starts with a marker, `<!-- fig: NAME -->`, followed by the value; the
script replaces everything after the marker up to the cell's closing `|` (or the next marker) with the figure NAME as
computed below from the runs' report.json (and, for the GitLab replay, an event trace of the
standby). With --check it changes nothing and exits 1 if a figure is out of date or unknown (a ctest
test runs it).

    tools/docs/incident_figures.py [--check] [--binary build/shardsim] [docs/incidents.md]
"""
import argparse
import datetime
import json
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIGURE = re.compile(r"<!-- fig: (?P<name>[a-z0-9_.]+) -->(?P<value>(?:(?!<!--)[^|])*)")


def run(binary, scenario, *extra, trace_args=()):
    """Runs `scenario` with `extra` arguments; returns (report, trace lines or None)."""
    with tempfile.TemporaryDirectory() as out:
        command = [binary, "run", scenario, "-q", "--out", out, *extra]
        trace = pathlib.Path(out) / "trace.jsonl"
        if trace_args:
            command += ["--trace", str(trace), *trace_args]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            sys.exit(f"incident_figures: `{' '.join(command)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
        report = json.loads((pathlib.Path(out) / "report.json").read_text())
        lines = [json.loads(line) for line in trace.read_text().splitlines()] if trace_args else None
        return report, lines


def event(report, kind, node):
    for e in report["failures"]["timeline"]:
        if e["event"] == kind and e["node"] == node:
            return e["at_s"]
    return None


def failover(report, node):
    return next(f for f in report["failures"]["failovers"] if f["node"] == node)


def clock(base, at_s, offset_s):
    """The wall-clock time (UTC) that simulated second `at_s` stands for, `offset_s` being `base`."""
    t = datetime.datetime.strptime(base, "%H:%M:%S") + datetime.timedelta(seconds=at_s - offset_s)
    return t.strftime("%H:%M:%S")


def s(x, digits=1):
    return f"{x:.{digits}f} s"


def github(binary):
    scenario = "scenarios/incidents/github-2018-10-21.json"
    doc = json.loads((ROOT / scenario).read_text())
    cut = doc["failures"][0]["at_s"]
    length = doc["failures"][0]["duration_s"]
    report, _ = run(binary, scenario)
    quiet, _ = run(binary, scenario, "--set", "workload.east.rate_per_s=0")
    slow, _ = run(binary, scenario, "--set", "failover.orchestrator.slave_net_timeout_s=60")
    m = failover(report, "active_master_global")
    promoted = event(report, "promoted", "passive_master_global")
    shard_promoted = event(report, "promoted", "shard_slave_west_1")
    dead = event(report, "dead_master", "active_master_global")
    fenced = event(report, "fenced", "active_master_global")
    hub_rate = doc["workload"]["hub"]["rate_per_s"]
    east_rate = doc["workload"]["east"]["rate_per_s"]
    batch_s = doc["replication"]["master_to_standby"]["batch_interval_ms"] / 1000
    lost_at_cut = failover(quiet, "active_master_global")["writes_lost"]
    slow_promoted = event(slow, "promoted", "passive_master_global")
    at = lambda t: f"{clock('22:52:00', t, cut)} (+{t - cut:.1f} s)"
    return {
        "gh.cut": s(length, 0),
        "gh.dead_master": at(dead),
        "gh.shards_promoted": at(shard_promoted),
        "gh.promoted": at(promoted),
        "gh.heal": at(cut + length),
        "gh.fenced": at(fenced),
        "gh.false_failovers": f"{report['failures']['summary']['false_failovers']} (all live masters)",
        "gh.lost_at_cut": f"{lost_at_cut} (band 0 to {hub_rate * batch_s:.0f})",
        "gh.writes_lost": f"{m['writes_lost']}",
        "gh.old_side": f"{m['divergent_writes_old_side']}",
        "gh.east_only": f"{m['writes_lost'] + m['divergent_writes_old_side']}",
        "gh.new_side": f"{m['divergent_writes_new_side']}",
        "gh.split": s(fenced - promoted),
        "gh.slow": "none inside the cut" if slow_promoted is None or slow_promoted >= cut + length
        else at(slow_promoted),
        "gh.rate": f"{hub_rate:.0f} + {east_rate:.0f} writes/s",
    }


def gitlab(binary):
    scenario = "scenarios/incidents/gitlab-2017-01-31.json"
    doc = json.loads((ROOT / scenario).read_text())
    report, trace = run(binary, scenario, trace_args=("--trace-node", "passive_master_global*", "--trace-kind", "apply"))
    keys, value = doc["keys"]["count"], doc["keys"]["value_bytes"]
    bandwidth = doc["network"]["links"][0]["bandwidth_bytes_per_s"]
    retention = doc["replication"]["log_retention_entries"]
    applies = [e for e in trace if e["kind"] == "apply"]
    # The standby stops applying at its lapse; the first apply after the gap follows the snapshot.
    gaps = [(b["t_ns"] - a["t_ns"], a, b) for a, b in zip(applies, applies[1:])]
    _, last, first = max(gaps, key=lambda g: g[0])
    stopped, resumed = last["t_ns"] / 1e9, first["t_ns"] / 1e9
    spike = doc["workload"]["db1"]["shape"]["steps"][0]["from_s"]
    stream = next(x for x in report["replication"]["streams"] if x["target"] == "passive_master_global/shard1")
    at = lambda t: f"{clock('20:50:00', t, 0)} (+{(t - spike) / 60:.0f} min)"
    return {
        "gl.data": f"{keys * value / 1e9:.0f} GB ({keys} keys x {value} bytes)",
        "gl.retention": f"{retention * value / 1e9:.1f} GB ({retention} entries)",
        "gl.spike": at(spike),
        "gl.stopped": at(stopped),
        "gl.lag_at_lapse": s(last["max_lag_ms"] / 1000, 0),
        "gl.lapses": f"{report['replication']['lapses_total']} lapse, {stream['snapshots_total']} snapshot",
        "gl.snapshot_gb": f"{keys * (value + 64) / 1e9:.1f} GB",
        "gl.transfer": f"{keys * (value + 64) / bandwidth / 3600:.1f} h",
        "gl.resumed": f"{clock('20:50:00', resumed, 0)} the next day (+{(resumed - stopped) / 3600:.1f} h)",
        "gl.rebuild": f"{(resumed - stopped) / 3600:.1f} h",
    }


def cloudflare(binary):
    scenario = "scenarios/incidents/cloudflare-2020-11-02.json"
    doc = json.loads((ROOT / scenario).read_text())
    cut = doc["failures"][0]["at_s"]
    length = doc["failures"][0]["duration_s"]
    report, _ = run(binary, scenario)
    m = failover(report, "active_master_global")
    at = lambda t: f"{clock('14:43:00', t, cut)} (+{t - cut:.1f} s)"
    return {
        "cf.cut": s(length, 0),
        "cf.demoted": at(event(report, "demoted", "active_master_global")),
        "cf.promoted": at(event(report, "promoted", "passive_master_global")),
        "cf.shards_promoted": at(event(report, "promoted", "shard_slave_rack2_2")),
        "cf.false_failovers": f"{report['failures']['summary']['false_failovers']} of "
                              f"{report['failures']['summary']['failovers']}",
        "cf.sync_failed": f"{m['sync_writes_failed']}",
        "cf.unavailable": s(m["write_unavailability_s"], 3),
        "cf.heal": at(cut + length),
        "cf.rack1_routing": at(event(report, "routing_updated", "rack1")),
        "cf.lapses": f"{report['replication']['lapses_total']}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a figure is out of date")
    parser.add_argument("--binary", default=str(ROOT / "build" / "shardsim"))
    parser.add_argument("file", nargs="?", default=str(ROOT / "docs" / "incidents.md"))
    args = parser.parse_args()
    binary = str(pathlib.Path(args.binary).resolve())
    figures = {**github(binary), **gitlab(binary), **cloudflare(binary)}
    path = pathlib.Path(args.file)
    text = path.read_text()
    unknown = sorted({m["name"] for m in FIGURE.finditer(text)} - figures.keys())
    if unknown:
        sys.exit(f"incident_figures: unknown figure(s) in {path}: {', '.join(unknown)}")
    updated = FIGURE.sub(lambda m: f"<!-- fig: {m['name']} --> {figures[m['name']]} ", text)
    if args.check:
        if updated != text:
            sys.exit(f"incident_figures: {path} is out of date; run tools/docs/incident_figures.py")
        return
    path.write_text(updated)


if __name__ == "__main__":
    main()
