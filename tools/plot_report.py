#!/usr/bin/env python3
"""Plots of a shardsim run, as PNG files next to its report.

Usage: python3 tools/plot_report.py OUT_DIR [OUT_DIR...]

Reads OUT_DIR/report.json (written by `shardsim run ... --out OUT_DIR`) and, when present,
OUT_DIR/timeseries.csv, and writes into OUT_DIR:
  t_visibility.png          P(a read sees a write) vs time since the write committed, per geo
  latency.png               p50 / p99 / p99.9 per operation, per geo
  slave_load.png            share of each SLB's reads served by each of its slaves
  lag_over_time.png         replication lag of every replica over time      (timeseries.csv)
  throughput_over_time.png  answered requests/s, read p99, fresh share      (timeseries.csv)
Failures from the report's timeline are shaded on the time plots (crash -> recover,
partition -> heal, ...). Missing sections or CSV columns are skipped, never fatal: the report and
the CSV may come from another version of shardsim.

Needs only matplotlib (Debian: python3-matplotlib, installed by tools/setup.sh); draws with the
Agg backend, so it runs without a display. Exit codes: 0 plots written, 2 bad usage, unreadable
report or no matplotlib.
"""

import csv
import json
import math
import os
import sys
import textwrap

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.stderr.write(
        "plot_report: matplotlib is not installed for %s\n"
        "  Debian: apt-get install python3-matplotlib (bash tools/setup.sh installs it), "
        "then run it with /usr/bin/python3\n" % sys.executable
    )
    sys.exit(2)

DPI = 100
# Failure kinds that last: the timeline event that starts one, and the one that ends it.
SPAN_END = {
    "crash": "recover",
    "partition": "heal",
    "slow": "slow_end",
    "latency_spike": "latency_spike_end",
    "loss": "loss_end",
}
SPAN_COLOR = {
    "crash": "tab:red",
    "partition": "tab:purple",
    "slow": "tab:orange",
    "latency_spike": "tab:brown",
    "loss": "tab:pink",
}
# Moments of the failover worth a line of their own.
MARKS = {"declared_down": "tab:red", "promoted": "tab:green"}


class ReportError(Exception):
    pass


def load_report(out_dir):
    path = os.path.join(out_dir, "report.json")
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except OSError as e:
        raise ReportError("%s: cannot read (%s)" % (path, e.strerror))
    except ValueError as e:
        raise ReportError("%s: not valid JSON (%s)" % (path, e))
    if not isinstance(report, dict) or report.get("format") != "shardsim-report":
        raise ReportError('%s: not a shardsim report (no "format": "shardsim-report")' % path)
    return report


def number(text):
    """A CSV cell as a float; None for an empty or unparsable cell."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def load_timeseries(out_dir):
    """{column: [float or None]} from timeseries.csv, or None when there is no usable file."""
    path = os.path.join(out_dir, "timeseries.csv")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or "time_s" not in rows[0]:
        sys.stderr.write("plot_report: %s has no time_s column or no rows; time plots skipped\n" % path)
        return None
    return {column: [number(row.get(column)) for row in rows] for column in rows[0].keys() if column}


def geos_of(report):
    return list(report.get("requests", {}).keys())


def save(fig, out_dir, name, written):
    path = os.path.join(out_dir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    written.append(path)


def no_data(ax, text):
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="gray")


def plot_t_visibility(report, out_dir, written):
    fig, ax = plt.subplots(figsize=(8, 5))
    drawn = False
    for geo, section in report.get("staleness", {}).items():
        xs, ys = [], []
        for b in section.get("t_visibility", []):
            lo, hi, p = b.get("t_from_ms"), b.get("t_to_ms"), b.get("p_visible")
            if lo is None or p is None:
                continue
            # A point per bin at its geometric middle (log axis); the open last bin at its edge.
            if hi is None:
                x = lo
            elif lo > 0:
                x = math.sqrt(lo * hi)
            else:
                x = hi / 2
            if x > 0:
                xs.append(x)
                ys.append(p)
        if xs:
            ax.plot(xs, ys, marker="o", markersize=3, label=geo)
            drawn = True
    ax.set_xscale("log")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("time between a write's commit and a read of its key (ms, log scale)")
    ax.set_ylabel("P(read sees the write)")
    ax.set_title("t-visibility: how soon a geo's reads see a write")
    ax.grid(True, which="both", alpha=0.3)
    if drawn:
        ax.legend(title="geo")
    else:
        no_data(ax, "no read followed a write of its key")
    save(fig, out_dir, "t_visibility.png", written)


def plot_latency(report, out_dir, written):
    requests = report.get("requests", {})
    geos = list(requests.keys()) or ["(none)"]
    fig, axes = plt.subplots(len(geos), 1, figsize=(9, 3.2 * len(geos)), squeeze=False)
    quantiles = [("p50_ms", "p50"), ("p99_ms", "p99"), ("p999_ms", "p99.9")]
    for ax, geo in zip(axes[:, 0], geos):
        latency = requests.get(geo, {}).get("latency", {})
        ops = [op for op, d in latency.items() if isinstance(d, dict) and d.get("count", 0) > 0]
        width = 0.8 / len(quantiles)
        for i, (key, label) in enumerate(quantiles):
            values = [latency[op].get(key) or 0 for op in ops]
            ax.bar([x + (i - 1) * width for x in range(len(ops))], values, width, label=label)
        ax.set_xticks(range(len(ops)))
        ax.set_xticklabels(["\n".join(textwrap.wrap(op.replace("_", " "), 12)) for op in ops], fontsize=8)
        ax.set_ylabel("latency (ms, log scale)")
        ax.set_title("client-observed latency by outcome, %s" % geo)
        highest = max([latency[op].get("p999_ms") or 0 for op in ops] + [0])
        if ops and highest > 0:
            ax.set_yscale("log")
            ax.set_ylim(top=highest * 4)  # headroom for the legend on a log axis
            ax.legend(ncol=3, fontsize=8, loc="upper right")
        else:
            no_data(ax, "no request answered")
        ax.grid(True, axis="y", which="both", alpha=0.3)
    save(fig, out_dir, "latency.png", written)


def plot_slave_load(report, out_dir, written):
    balancers = report.get("load_balancers", {})
    geos = list(balancers.keys()) or ["(none)"]
    fig, axes = plt.subplots(len(geos), 1, figsize=(9, 3.2 * len(geos)), squeeze=False)
    for ax, geo in zip(axes[:, 0], geos):
        shards = balancers.get(geo, {}).get("slb", [])
        labels, ticks = [], []
        for x, shard in enumerate(shards):
            slaves = shard.get("slaves", [])
            n = max(len(slaves), 1)
            width = 0.8 / n
            for j, slave in enumerate(slaves):
                pos = x - 0.4 + width * (j + 0.5)
                ax.bar(pos, slave.get("load_share", 0), width * 0.9, color="C%d" % (j % 10))
                if n > 1:
                    ax.text(pos, slave.get("load_share", 0), slave.get("slave", "?").rsplit("_", 1)[-1],
                            ha="center", va="bottom", fontsize=7)
            if slaves:
                # The fair share: what each slave would get from a perfectly even ring.
                ax.hlines(1.0 / n, x - 0.4, x + 0.4, colors="black", linestyles="dashed", linewidth=1)
            ticks.append(x)
            labels.append("shard %s\n(max/mean %.2f)" % (shard.get("shard", x + 1), shard.get("max_over_mean", 0)))
        ax.set_xticks(ticks)
        ax.set_xticklabels(labels, fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_ylabel("share of the SLB's reads")
        ax.set_title("read load per slave behind the SLB, %s (dashed: even share)" % geo)
        if not shards:
            no_data(ax, "no SLB data")
        ax.grid(True, axis="y", alpha=0.3)
    save(fig, out_dir, "slave_load.png", written)


def failure_spans(report, end_s):
    """[(start_s, end_s, kind, target)] of the failures in the timeline, and [(at_s, event, node)]."""
    timeline = report.get("failures", {}).get("timeline", [])
    open_spans, spans, marks = {}, [], []
    enders = {end: start for start, end in SPAN_END.items()}
    for event in sorted(timeline, key=lambda e: e.get("at_s", 0)):
        at, what, node = event.get("at_s"), event.get("event"), event.get("node", "")
        if at is None:
            continue
        if what in SPAN_END:
            open_spans.setdefault((what, node), at)
        elif what in enders:
            start = open_spans.pop((enders[what], node), None)
            if start is not None:
                spans.append((start, at, enders[what], node))
        elif what in MARKS:
            marks.append((at, what, node))
    for (kind, node), start in open_spans.items():  # never ended: lasts to the end of the run
        spans.append((start, end_s, kind, node))
    return spans, marks


def mark_failures(ax, spans, marks):
    labelled = set()
    for start, end, kind, node in spans:
        label = kind if kind not in labelled else None
        labelled.add(kind)
        ax.axvspan(start, end, color=SPAN_COLOR.get(kind, "gray"), alpha=0.15, label=label)
    for at, what, node in marks:
        label = what.replace("_", " ") if what not in labelled else None
        labelled.add(what)
        ax.axvline(at, color=MARKS[what], linestyle=":", linewidth=1, label=label)


def time_axis(series):
    return series.get("time_s", [])


def line_style(name):
    """Slaves solid, shard masters dashed, the global masters' copies dotted: roles stay apart
    even when colours repeat."""
    if name.startswith("shard_slave"):
        return "-"
    if name.startswith("shard_master"):
        return "--"
    return ":" if "master_global" in name else "-"


def plot_lines(ax, series, columns, prefix, suffix="", styled=False, label_suffix="", linestyle="-"):
    t = time_axis(series)
    colors = plt.get_cmap("tab20" if len(columns) > 10 else "tab10")
    for i, column in enumerate(columns):
        points = [(x, y) for x, y in zip(t, series[column]) if x is not None and y is not None]
        if points:
            name = column[len(prefix) : len(column) - len(suffix)] if suffix else column[len(prefix) :]
            ax.plot(
                [p[0] for p in points],
                [p[1] for p in points],
                linewidth=1,
                color=colors(i % colors.N),
                linestyle=line_style(name) if styled else linestyle,
                label=name + label_suffix,
            )


def finish_time_axes(ax, spans, marks, legend_title, lines):
    mark_failures(ax, spans, marks)
    ax.grid(True, alpha=0.3)
    handles, _ = ax.get_legend_handles_labels()
    if handles and lines <= 40:
        # Beside the plot, not on it: the lines are the point.
        ax.legend(title=legend_title, fontsize=7, ncol=2 if lines > 20 else 1, loc="upper left",
                  bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    elif handles:
        # Too many replicas for a legend: say so instead of covering the plot.
        ax.text(0.99, 0.98, "%d series (no legend)" % lines, ha="right", va="top", transform=ax.transAxes,
                fontsize=7, color="gray")


def plot_lag(report, series, out_dir, written, end_s):
    spans, marks = failure_spans(report, end_s)
    columns = [c for c in series if c.startswith("lag_ms_")]
    fig, ax = plt.subplots(figsize=(12 if len(columns) <= 20 else 14, 5.5))
    plot_lines(ax, series, columns, "lag_ms_", styled=True)
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("replication lag (ms)")
    ax.set_title("replication lag of every replica (shaded: failures; dotted: global masters' copies, "
                 "dashed: shard masters)", fontsize=10)
    if not columns:
        no_data(ax, "timeseries.csv has no lag_ms_* columns")
    finish_time_axes(ax, spans, marks, "replica", len(columns))
    save(fig, out_dir, "lag_over_time.png", written)


def plot_throughput(report, series, out_dir, written, end_s):
    spans, marks = failure_spans(report, end_s)
    panels = [
        ("throughput_", "_per_s", "requests (1/s)", "answered (and failed, dashed) requests per geo"),
        ("read_p99_ms_", "", "read p99 (ms)", "read latency p99 per geo"),
        ("fresh_share_", "", "fresh share of slave data", "share of slave data that is fresh"),
    ]
    present = []
    for prefix, suffix, ylabel, title in panels:
        columns = [c for c in series if c.startswith(prefix) and c.endswith(suffix)]
        if columns or prefix == "throughput_":
            present.append((prefix, suffix, ylabel, title, columns))
    fig, axes = plt.subplots(len(present), 1, figsize=(11, 3 * len(present)), sharex=True, squeeze=False)
    for ax, (prefix, suffix, ylabel, title, columns) in zip(axes[:, 0], present):
        plot_lines(ax, series, columns, prefix, suffix)
        failed = [c for c in series if c.startswith("failed_") and c.endswith("_per_s")]
        if prefix == "throughput_" and any(v for c in failed for v in series[c] if v):
            # Failed requests, dashed, only when some failed (an all-zero line says nothing).
            plot_lines(ax, series, failed, "failed_", "_per_s", label_suffix=" failed", linestyle="--")
        ax.set_ylabel(ylabel)
        ax.set_title(title + " (shaded: failures)")
        if not columns:
            no_data(ax, "timeseries.csv has no %s*%s columns" % (prefix, suffix))
        if prefix == "fresh_share_":
            ax.set_ylim(0, 1.05)
        finish_time_axes(ax, spans, marks, "geo", len(columns))
    axes[-1, 0].set_xlabel("simulated time (s)")
    save(fig, out_dir, "throughput_over_time.png", written)


def plot_dir(out_dir):
    report = load_report(out_dir)
    written = []
    plot_t_visibility(report, out_dir, written)
    plot_latency(report, out_dir, written)
    plot_slave_load(report, out_dir, written)
    series = load_timeseries(out_dir)
    if series is None:
        sys.stderr.write("plot_report: no timeseries.csv in %s; time plots skipped\n" % out_dir)
    else:
        times = [t for t in time_axis(series) if t is not None]
        end_s = max(times) if times else report.get("run", {}).get("simulated_s", 0)
        plot_lag(report, series, out_dir, written, end_s)
        plot_throughput(report, series, out_dir, written, end_s)
    return written


def main(argv):
    if len(argv) >= 2 and argv[1] in ("-h", "--help"):
        sys.stdout.write(__doc__)
        return 0
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    status = 0
    for out_dir in argv[1:]:
        try:
            for path in plot_dir(out_dir):
                print(path)
        except ReportError as e:
            sys.stderr.write("plot_report: %s\n" % e)
            status = 2
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
