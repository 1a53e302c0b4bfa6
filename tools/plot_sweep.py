#!/usr/bin/env python3
"""A sweep's metric against a swept parameter, with its 95% confidence band, as PNG.

Usage: python3 tools/plot_sweep.py SWEEP_DIR [--x PARAMETER] [--metric POINTER]... [--log-y]

Reads SWEEP_DIR/sweep.csv (written by `shardsim sweep FILE --out SWEEP_DIR` or `shardsim merge`)
and writes SWEEP_DIR/sweep_<metric>.png for each metric: the mean against the parameter on the x
axis (default: the last swept parameter, the one varying fastest), one line per combination of the
other parameters, the band between ci95_low and ci95_high. Points with one replication have no
band. --metric picks metrics (default: every metric in the CSV); --log-y uses a log scale (latency
that explodes past saturation).

Needs only matplotlib (Debian: python3-matplotlib, installed by tools/setup.sh); Agg backend, no
display. Exit codes: 0 plots written, 2 bad usage, unreadable CSV or no matplotlib.
"""

import argparse
import csv
import os
import re
import sys

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    sys.stderr.write(
        "plot_sweep: matplotlib is not installed for %s\n"
        "  Debian: apt-get install python3-matplotlib (bash tools/setup.sh installs it), "
        "then run it with /usr/bin/python3\n" % sys.executable
    )
    sys.exit(2)

FIXED_COLUMNS = ["point", "metric", "n", "mean", "stddev", "ci95_low", "ci95_high"]


def fail(message):
    sys.stderr.write("plot_sweep: %s\n" % message)
    sys.exit(2)


def number(text):
    """A CSV cell as a float; empty (undefined, e.g. no spread with n = 1) as None."""
    return float(text) if text != "" else None


def read_rows(path):
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            columns = reader.fieldnames or []
    except OSError as e:
        fail("cannot read %s: %s" % (path, e.strerror))
    missing = [c for c in FIXED_COLUMNS if c not in columns]
    if missing:
        fail("%s is not a sweep.csv (missing columns: %s)" % (path, ", ".join(missing)))
    parameters = [c for c in columns if c not in FIXED_COLUMNS]
    return rows, parameters


def series_by_others(rows, x, others):
    """{(other values...): [(x, mean, low, high), ...]} sorted by x."""
    series = {}
    for row in rows:
        key = tuple(row[o] for o in others)
        series.setdefault(key, []).append(
            (float(row[x]), number(row["mean"]), number(row["ci95_low"]), number(row["ci95_high"]))
        )
    for points in series.values():
        points.sort()
    return series


def file_name(metric):
    return "sweep_" + re.sub(r"[^A-Za-z0-9]+", "_", metric).strip("_") + ".png"


def plot_metric(rows, metric, x, others, log_y, out_dir):
    series = series_by_others([r for r in rows if r["metric"] == metric], x, others)
    fig, ax = plt.subplots(figsize=(8, 5), dpi=100)
    for key, points in sorted(series.items()):
        label = ", ".join("%s=%s" % (o, v) for o, v in zip(others, key)) or None
        xs = [p[0] for p in points if p[1] is not None]
        means = [p[1] for p in points if p[1] is not None]
        line = ax.plot(xs, means, marker="o", label=label)[0]
        banded = [p for p in points if p[2] is not None and p[3] is not None]
        if banded:
            ax.fill_between(
                [p[0] for p in banded], [p[2] for p in banded], [p[3] for p in banded],
                color=line.get_color(), alpha=0.2, linewidth=0,
            )
    ax.set_xlabel(x)
    ax.set_ylabel(metric)
    ax.set_title("%s (mean, 95%% confidence band)" % metric, fontsize=10)
    if log_y:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    if others:
        ax.legend(fontsize=8)
    fig.tight_layout()
    path = os.path.join(out_dir, file_name(metric))
    temporary = path + ".tmp.%d" % os.getpid()
    fig.savefig(temporary, format="png")  # atomic: rename into place
    plt.close(fig)
    os.replace(temporary, path)
    return path


def main():
    parser = argparse.ArgumentParser(description="Plot a sweep's metrics against a parameter.")
    parser.add_argument("sweep_dir")
    parser.add_argument("--x", help="the parameter on the x axis (default: the last one)")
    parser.add_argument("--metric", action="append", help="a metric (JSON pointer); repeatable")
    parser.add_argument("--log-y", action="store_true", help="log scale for the metric")
    args = parser.parse_args()
    rows, parameters = read_rows(os.path.join(args.sweep_dir, "sweep.csv"))
    if not parameters:
        fail("the sweep has no parameter columns")
    x = args.x or parameters[-1]
    if x not in parameters:
        fail("--x %s is not a swept parameter; the sweep has: %s" % (x, ", ".join(parameters)))
    others = [p for p in parameters if p != x]
    known = list(dict.fromkeys(r["metric"] for r in rows))
    metrics = args.metric or known
    for m in metrics:
        if m not in known:
            fail("--metric %s is not in the sweep; it has: %s" % (m, ", ".join(known)))
    for m in metrics:
        print(plot_metric(rows, m, x, others, args.log_y, args.sweep_dir))


if __name__ == "__main__":
    main()
