#!/usr/bin/env python3
"""The no-op build of a synthetic graph with Locations declared, against the same graph without them.

Generates the graph (generate.py), builds it cold once, then times no-op builds of its top layer on the same log,
alternating a manifest without locations and one with "locations": ["data/layer={layer}/part={part}"] (one batch of
stats of the requested partitions before they are skipped), and prints the medians side by side with the ratio.
"""

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path

import generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", type=Path, required=True, help="the databuild executable to measure")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder (replaced)")
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()

    folder = options.work.resolve()
    meta = generate.generate(folder, options.layers, options.size // options.layers, 2, 0)
    manifest = json.loads((folder / "graph.json").read_text())
    plain, located = folder / "plain.json", folder / "located.json"
    plain.write_text(json.dumps(manifest, indent=2))
    manifest["jobs"][0]["locations"] = ["data/layer={layer}/part={part}"]
    located.write_text(json.dumps(manifest, indent=2))

    def build(graph: Path) -> float:
        started = time.perf_counter()
        subprocess.run([os.fspath(options.cli), "--graph", os.fspath(graph), "build", *meta["targets"]],
                       cwd=folder, check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - started

    cold = build(plain)
    runs = len(list((folder / ".databuild" / "logs").iterdir()))
    times: dict[Path, list[float]] = {plain: [], located: []}
    for _ in range(options.rounds):
        for graph in (plain, located):
            times[graph].append(build(graph))
    if len(list((folder / ".databuild" / "logs").iterdir())) != runs:
        raise SystemExit("a no-op build ran jobs")
    without, with_locations = statistics.median(times[plain]), statistics.median(times[located])
    print(f"{meta['partitions']} partitions, cold build {cold:.2f} s; no-op of {len(meta['targets'])} requested, median of {options.rounds}:")
    print(f"  without locations {without:8.3f} s")
    print(f"  with locations    {with_locations:8.3f} s   ratio {with_locations / without:.3f}")


if __name__ == "__main__":
    main()
