#!/usr/bin/env python3
"""Fails when a file of shardsim includes a header of a layer above its own.

The layers, lowest first (docs/architecture.md draws them):
  util, kernel, random, scenario (the typed specs and their loader), net, model, failure,
  report, run, sweep, cli
A file in include/shardsim/<layer>/ or sim/<layer>/ may include its own layer and the layers
below it. KNOWN_VIOLATIONS lists includes against the order that are tolerated for now (none
since issue 15: the model reports through model/metrics.h and model/trace_sink.h); the check fails
on any other, and on a listed one that is gone, so the list only shrinks.

usage: check_layers.py [REPO_ROOT]
"""
import pathlib
import re
import sys

LAYERS = ["util", "kernel", "random", "scenario", "net", "model", "failure", "report", "run", "sweep", "cli"]
RANK = {name: i for i, name in enumerate(LAYERS)}

# file -> the higher layers it still includes. Remove an entry when its include goes.
KNOWN_VIOLATIONS: dict[str, set[str]] = {}

INCLUDE = re.compile(r'^\s*#\s*include\s+"shardsim/([a-z_]+)/', re.MULTILINE)


def layer_of(path: pathlib.Path, root: pathlib.Path):
    parts = path.relative_to(root).parts
    if parts[0] == "include" and len(parts) > 3:
        return parts[2]
    if parts[0] == "sim" and len(parts) > 2:
        return parts[1]
    return None


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    files = sorted(list((root / "include" / "shardsim").rglob("*.h")) + list((root / "sim").rglob("*.cc")) +
                   list((root / "sim").rglob("*.h")))
    errors = []
    found = {}
    for path in files:
        own = layer_of(path, root)
        if own is None:
            continue
        if own not in RANK:
            errors.append(f"{path.relative_to(root)}: layer '{own}' is not in the layer order; add it to LAYERS")
            continue
        rel = str(path.relative_to(root))
        for included in sorted(set(INCLUDE.findall(path.read_text(encoding="utf-8")))):
            if included not in RANK:
                errors.append(f"{rel}: includes layer '{included}', which is not in the layer order")
            elif RANK[included] > RANK[own]:
                found.setdefault(rel, set()).add(included)
    for rel, layers in sorted(found.items()):
        extra = layers - KNOWN_VIOLATIONS.get(rel, set())
        for layer in sorted(extra):
            errors.append(f"{rel}: layer '{layer_of(root / rel, root)}' includes the higher layer '{layer}' "
                          f"(order, lowest first: {', '.join(LAYERS)})")
    for rel, layers in sorted(KNOWN_VIOLATIONS.items()):
        for layer in sorted(layers - found.get(rel, set())):
            errors.append(f"{rel}: no longer includes '{layer}': remove it from KNOWN_VIOLATIONS")
    for error in errors:
        print(f"check_layers: {error}", file=sys.stderr)
    if not errors:
        known = sum(len(v) for v in KNOWN_VIOLATIONS.values())
        print(f"check_layers: {len(files)} files follow the layer order ({known} known exceptions left)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
