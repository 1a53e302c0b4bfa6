#!/usr/bin/env python3
"""Regenerates the outputs quoted in README.md from the current binary, so that no quote is pasted.

A quoted output is a fenced block right after a marker line:

    <!-- output: run scenarios/seed.json --color never | keep: REGEX -->
    ```
    ...
    ```

The script runs `shardsim ARGS` from the repository root, keeps the lines that match REGEX (all of
them without `| keep:`) and, with `| lines: 1-3,5-13`, only those lines (numbered from 1) of
what matched, writes "  ..." once where lines were left out, and puts the result in the block. With --check it changes nothing and exits 1 if a block is out of date (a ctest test runs it).

A sweep's table is a Markdown table (the lines starting with "|") right after a marker line:

    <!-- sweep-table: scenarios/sweeps/india-slaves.json | columns: slaves=slaves.per_shard_per_geo.india; read-miss p99 ms=/requests/india/latency/read_miss/p99_ms:1 -->

The script runs `shardsim sweep FILE -j 2 --out TMP` and writes one row per point from TMP/sweep.json:
each column is `header=KEY[:DIGITS]`, KEY a swept parameter (its value as is) or one of the sweep's
metrics (`mean ± 95% half-width` with DIGITS decimals, default 2; the mean alone when the interval
has no width or is undefined).

    tools/docs/quote_outputs.py [--check] [--binary build/shardsim] [FILE...]
"""
import argparse
import json
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

MARKER = re.compile(r"^<!-- output: (?P<args>.*?)(?: \| keep: (?P<keep>.*?))?(?: \| lines: (?P<lines>[0-9,-]+))? -->$")
SWEEP_MARKER = re.compile(r"^<!-- sweep-table: (?P<file>\S+) \| columns: (?P<columns>.*?) -->$")
ROOT = pathlib.Path(__file__).resolve().parents[2]


def wanted(spec):
    numbers = set()
    for part in spec.split(","):
        first, _, last = part.partition("-")
        numbers.update(range(int(first), int(last or first) + 1))
    return numbers


def render(binary, args, keep, line_spec):
    result = subprocess.run([binary] + shlex.split(args), cwd=ROOT, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"quote_outputs: `shardsim {args}` exited {result.returncode}:\n{result.stderr}")
    lines = result.stdout.rstrip("\n").split("\n")
    pattern = re.compile(keep or "")
    numbers = wanted(line_spec) if line_spec else None
    out, skipped = [], False
    for number, line in enumerate(lines, 1):
        if pattern.search(line) and (numbers is None or number in numbers):
            if skipped and out:
                out.append("  ...")
            out.append(line)
            skipped = False
        elif line.strip():  # a blank line left out is no gap worth marking
            skipped = True
    if skipped and (keep or line_spec):
        out.append("  ...")
    return out


def parse_columns(spec):
    """[(header, key, digits)] from `header=KEY[:DIGITS]; ...` (a KEY holds no ':' but a digits suffix)."""
    columns = []
    for part in spec.split(";"):
        header, _, key = part.strip().partition("=")
        key, _, digits = key.partition(":")
        if not header or not key:
            sys.exit(f"quote_outputs: bad sweep-table column {part!r} (expected header=KEY[:DIGITS])")
        columns.append((header.strip(), key.strip(), int(digits) if digits else 2))
    return columns


def cell(row, digits):
    mean, low, high = row["mean"], row.get("ci95_low"), row.get("ci95_high")
    if mean is None:
        return "-"
    text = f"{mean:.{digits}f}"
    if low is not None and high is not None and high > low:
        half = f"{(high - low) / 2:.{digits}f}"
        if float(half) > 0:
            text += " ± " + half
    return text


def render_sweep_table(binary, sweep_file, column_spec):
    """The Markdown table of the sweep's points (header, rule, one row per point)."""
    columns = parse_columns(column_spec)
    with tempfile.TemporaryDirectory(prefix="quote_sweep_") as out:
        args = ["sweep", sweep_file, "-j", "2", "--out", out]
        result = subprocess.run([binary] + args, cwd=ROOT, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            sys.exit(f"quote_outputs: `shardsim {' '.join(args)}` exited {result.returncode}:\n{result.stderr}")
        data = json.loads(pathlib.Path(out, "sweep.json").read_text())
    points = {}
    for row in data["rows"]:
        points.setdefault(row["point"], {"parameters": row["parameters"], "metrics": {}})["metrics"][row["metric"]] = row
    lines = ["| " + " | ".join(header for header, _, _ in columns) + " |",
             "|" + "|".join("---:" for _ in columns) + "|"]
    for number in sorted(points):
        point, cells = points[number], []
        for header, key, digits in columns:
            if key in point["parameters"]:
                cells.append(str(point["parameters"][key]))
            elif key in point["metrics"]:
                cells.append(cell(point["metrics"][key], digits))
            else:
                sys.exit(f"quote_outputs: sweep-table column {header!r}: {key} is neither a parameter nor a "
                         f"metric of {sweep_file}")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def update(text, binary):
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
        table = SWEEP_MARKER.match(lines[i])
        if table:
            end = i + 1
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out.extend(render_sweep_table(binary, table["file"], table["columns"]))
            i = end
            continue
        match = MARKER.match(lines[i])
        if match and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            end = next((j for j in range(i + 2, len(lines)) if lines[j].startswith("```")), None)
            if end is None:
                sys.exit(f"quote_outputs: the block after line {i + 1} is not closed")
            out.append(lines[i + 1])
            out.extend(render(binary, match["args"], match["keep"], match["lines"]))
            out.append(lines[end])
            i = end + 1
            continue
        i += 1
    return "\n".join(out)


def self_test(binary):
    """Fails unless a stale sweep table is rewritten to one row per point of the grid, in point
    order, and a fresh one is left alone (ctest quote_outputs_sweep_table)."""
    sweep = "scenarios/sweeps/india-slaves.json"
    spec = json.loads((ROOT / sweep).read_text())
    marker = (f"<!-- sweep-table: {sweep} | columns: slaves=slaves.per_shard_per_geo.india; "
              "rate=workload.india.rate_per_s; p99=/requests/india/latency/read_miss/p99_ms:1 -->")
    stale = "\n".join(["before", marker, "| slaves | rate | p99 |", "|---:|---:|---:|", "| 1 | 2000 | 0.0 |", "after"])
    fresh = update(stale, binary)
    lines = fresh.split("\n")
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| slaves")]
    grid = [(a, b) for a in spec["parameters"]["slaves.per_shard_per_geo.india"]
            for b in spec["parameters"]["workload.india.rate_per_s"]]
    problems = []
    if lines[0] != "before" or lines[-1] != "after" or lines[1] != marker:
        problems.append("the text around the table changed")
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    if [(int(c[0]), int(c[1])) for c in cells] != grid:
        problems.append("the rows are not the grid's points in order: %s" % rows)
    if any(row.endswith("| 0.0 |") for row in rows):
        problems.append("the stale cell survived")
    if update(fresh, binary) != fresh:
        problems.append("a fresh table was rewritten")
    for problem in problems:
        print("quote_outputs: self-test FAILED: " + problem)
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a quote is out of date")
    parser.add_argument("--binary", default=str(ROOT / "build" / "shardsim"))
    parser.add_argument("--self-test", action="store_true", help="check the sweep-table mode itself")
    parser.add_argument("files", nargs="*", default=[str(ROOT / "README.md")])
    args = parser.parse_args()
    if args.self_test:
        sys.exit(self_test(args.binary))
    stale = []
    for name in args.files:
        path = pathlib.Path(name)
        text = path.read_text()
        fresh = update(text, args.binary)
        if fresh != text:
            stale.append(name)
            if not args.check:
                path.write_text(fresh)
    if args.check and stale:
        sys.exit("quote_outputs: out of date (run tools/docs/quote_outputs.py): " + ", ".join(stale))
    for name in stale if not args.check else []:
        print(f"quote_outputs: updated {name}")


if __name__ == "__main__":
    main()
