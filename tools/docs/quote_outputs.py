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

    tools/docs/quote_outputs.py [--check] [--binary build/shardsim] [FILE...]
"""
import argparse
import pathlib
import re
import shlex
import subprocess
import sys

MARKER = re.compile(r"^<!-- output: (?P<args>.*?)(?: \| keep: (?P<keep>.*?))?(?: \| lines: (?P<lines>[0-9,-]+))? -->$")
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


def update(text, binary):
    lines = text.split("\n")
    out, i = [], 0
    while i < len(lines):
        out.append(lines[i])
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a quote is out of date")
    parser.add_argument("--binary", default=str(ROOT / "build" / "shardsim"))
    parser.add_argument("files", nargs="*", default=[str(ROOT / "README.md")])
    args = parser.parse_args()
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
