#!/usr/bin/env python3
"""Draws the README's pictures from the current binary: sections of the HTML report of a global
master failover, and the chart of a sweep's page, photographed in headless Chromium by
tools/html_check/check_html.py (which also checks each page: no console error, every section
drawn). The PNG scripts they replace (plot_report.py, plot_sweep.py) are retired: the HTML report
is the one picture of a run.

Usage: python3 tools/docs/readme_images.py [--binary build/shardsim] [--out docs/images]
Chromium's rendering is not byte-stable across versions, so nothing compares these files; the
figures they show come from the binary each time the script runs.
"""

import argparse
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, "tools", "html_check", "check_html.py")

RUN_SCENARIO = os.path.join(ROOT, "scenarios", "failover-global-master.json")
RUN_SECTIONS = "lag,failures,fresh,tvis"
SWEEP = os.path.join(ROOT, "scenarios", "sweeps", "india-slaves.json")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "shardsim"))
    parser.add_argument("--out", default=os.path.join(ROOT, "docs", "images"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    common = [sys.executable, CHECK, "--shardsim", binary, "--section-shots", args.out]
    subprocess.run(common + ["--scenario", RUN_SCENARIO, "--shot-sections", RUN_SECTIONS, "--shot-prefix", "run_"],
                   check=True)
    subprocess.run(common + ["--sweep", SWEEP, "--shot-sections", "metrics", "--shot-prefix", "sweep_"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
