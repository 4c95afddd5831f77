#!/usr/bin/env python3
"""Measures two builds of the databuild CLI side by side in one run: A (e.g. a base commit) and B (e.g. the
working tree), on the same generated graphs, alternating A and B so both see the same machine load.

For each size it reports the median cold build and the median no-op rebuild of each, and the ratio B/A
(below 1: B is faster), in wall time and in CPU time (user + system of the CLI and its jobs): on a loaded machine
the wall clock mostly measures the neighbours, while CPU time is still the work each CLI did. Every run is checked the way compare.py checks it (all partitions built, a no-op
runs no job), so a fast wrong build never counts. bench/ab.sh publishes the two CLIs and calls this.
"""

import argparse
import json
import os
import statistics
from pathlib import Path

import generate
from compare import run_databuild


def one_round(cli: Path, source: Path, work: Path, meta: dict, jobs: int, noops: int) -> dict[str, list[float]]:
    """A cold build from a fresh copy, then the no-op rebuilds, checked as compare.py checks its runs."""
    runs = run_databuild(cli, source, work, meta, jobs, noops)
    return {"cold": [runs["databuild"]["seconds"]], "noop": runs["databuildNoop"]["all"],
            "coldCpu": [runs["databuild"]["cpuSeconds"]], "noopCpu": runs["databuildNoop"]["allCpu"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=Path, required=True, help="the first databuild executable (the base)")
    parser.add_argument("--b", type=Path, required=True, help="the second databuild executable (the change)")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder")
    parser.add_argument("--sizes", default="1000,10000", help="partition counts of the graphs")
    parser.add_argument("--rounds", type=int, default=3, help="cold builds per CLI and size, alternating A and B")
    parser.add_argument("--noops", type=int, default=3, help="no-op rebuilds after each cold build")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    options = parser.parse_args()

    results = []
    for size in [int(s) for s in options.sizes.split(",") if s]:
        source = options.work / f"{size}" / "source"
        meta = generate.generate(source, 10, size // 10, 2, 0)
        kinds = ("cold", "noop", "coldCpu", "noopCpu")
        figures: dict[str, dict[str, list[float]]] = {name: {kind: [] for kind in kinds} for name in ("A", "B")}
        for round_ in range(options.rounds):
            # Alternate which goes first, so neither always runs on a warmer or busier machine.
            order = ("A", "B") if round_ % 2 == 0 else ("B", "A")
            for name in order:
                cli = options.a if name == "A" else options.b
                measured = one_round(cli.resolve(), source, options.work / f"{size}" / name, meta, options.jobs, options.noops)
                for kind in kinds:
                    figures[name][kind].extend(measured[kind])
        row = {"partitions": size}
        for kind in kinds:
            a = statistics.median(figures["A"][kind])
            b = statistics.median(figures["B"][kind])
            row[kind] = {"a": a, "b": b, "ratio": b / a}
        results.append(row)
        print(f"{size:>7} partitions  cold  A {row['cold']['a']:7.2f} s  B {row['cold']['b']:7.2f} s  B/A {row['cold']['ratio']:.2f}"
              f"   no-op  A {row['noop']['a']:5.2f} s  B {row['noop']['b']:5.2f} s  B/A {row['noop']['ratio']:.2f}\n"
              f"{'':>7}   CPU time  cold  A {row['coldCpu']['a']:7.2f} s  B {row['coldCpu']['b']:7.2f} s  B/A {row['coldCpu']['ratio']:.2f}"
              f"   no-op  A {row['noopCpu']['a']:5.2f} s  B {row['noopCpu']['b']:5.2f} s  B/A {row['noopCpu']['ratio']:.2f}", flush=True)
    if options.out:
        options.out.write_text(json.dumps({"a": os.fspath(options.a), "b": os.fspath(options.b), "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
