#!/usr/bin/env python3
"""Writes bench/RESULTS.md from the latest results: results/e2e.json (bench/e2e/compare.py),
results/micro.json (bench/DataBuild.Benchmarks) and the hand-written analysis.md, checking each target."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TRIVIAL_TARGET_SIZE = 10_000


def load(name: str) -> dict | None:
    path = HERE / "results" / name
    return json.loads(path.read_text()) if path.exists() else None


def seconds(run: dict | None) -> str:
    if not run:
        return "—"
    if run.get("skipped"):
        return f"skipped (≥ {run['estimateSeconds']:.0f} s est.)"
    text = f"{run['seconds']:.2f} s"
    return f"> {text} (stopped)" if run.get("timedOut") else text


def finished(run: dict | None) -> bool:
    return bool(run) and not run.get("skipped") and not run.get("timedOut")


def lower_bound(run: dict | None) -> float | None:
    """Seconds the run took, or at least took when it was stopped or skipped."""
    if not run:
        return None
    return run["estimateSeconds"] if run.get("skipped") else run["seconds"]


def overhead(run: dict, graph: dict) -> float:
    """The issue's definition: wall time minus the critical path of job work, per job."""
    return (run["seconds"] - graph["criticalPathSeconds"]) / graph["partitions"]


def ratio(mine: float, theirs: float | None, theirs_finished: bool) -> str:
    if theirs is None or theirs <= 0:
        return "—"
    value = mine / theirs
    # Against a run that was stopped or skipped, the true ratio is at most this.
    return f"{'≤ ' if not theirs_finished else ''}{value:.2f}×"


def e2e_section(e2e: dict) -> list[str]:
    lines = ["## End to end: DataBuild, ninja and Snakemake on the same graphs", ""]
    lines += [
        f"Run {e2e['date']} on {e2e['machine']['cpu']}, {e2e['machine']['cores']} cores, {e2e['machine']['memoryGiB']} GiB "
        f"({e2e['machine']['os']}); every tool at parallelism {e2e['jobs']}. Versions: DataBuild {e2e['versions']['databuildCommit']} "
        f"on .NET SDK {e2e['versions']['dotnet']}, ninja {e2e['versions']['ninja']}, Snakemake {e2e['versions']['snakemake']}.",
        "",
        "Wall time is the whole command, process start to exit, from a clean folder (no-op: after a complete build). "
        "Overhead per job is the issue's definition: (wall time − critical path of job work) / jobs, where the critical "
        "path is the layer count times the median time of one job run alone. Ratios divide the row's figure by ninja's "
        "and Snakemake's; below 1 is faster, and against a Snakemake run stopped at its budget the true ratio is at most "
        "the one shown. Load is the one-minute load average just before the run.",
        "",
    ]
    for graph in e2e["graphs"]:
        runs = graph["runs"]
        title = f"### {graph['partitions']:,} partitions ({graph['layers']} layers × {graph['width']:,}, k = {graph['k']}"
        title += f", jobs sleep {graph['sleepMs']} ms)" if graph["sleepMs"] else ", trivial jobs)"
        lines += [title, "",
                  f"One job alone: {graph['jobUnitSeconds'] * 1000:.1f} ms; critical path {graph['criticalPathSeconds']:.2f} s.", "",
                  "| cold build | wall | jobs/s | overhead/job | wall vs ninja | wall vs Snakemake | overhead vs ninja | overhead vs Snakemake | load |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        ninja, snake = runs.get("ninja"), runs.get("snakemake")
        for key, name in [("databuild", "DataBuild"), ("ninja", "ninja"), ("snakemake", "Snakemake")]:
            run = runs.get(key)
            if not run or run.get("skipped"):
                lines.append(f"| {name} | {seconds(run)} | | | | | | | |")
                continue
            mark = "" if finished(run) else "≥ "
            per_job = overhead(run, graph)
            ninja_overhead = overhead(ninja, graph) if ninja else None
            snake_overhead = overhead(snake, graph) if finished(snake) else (
                (lower_bound(snake) - graph["criticalPathSeconds"]) / graph["partitions"] if snake else None)
            lines.append(
                f"| {name} | {seconds(run)} | {'≤ ' if mark else ''}{graph['partitions'] / run['seconds']:,.0f} | {mark}{per_job * 1000:.2f} ms "
                f"| {ratio(run['seconds'], lower_bound(ninja), finished(ninja))} | {ratio(run['seconds'], lower_bound(snake), finished(snake))} "
                f"| {ratio(per_job, ninja_overhead, finished(ninja))} | {ratio(per_job, snake_overhead, finished(snake))} | {run['loadBefore']:.1f} |")
        lines += ["", "Nothing to build: a no-op rebuild after a complete build, and Snakemake's dry-run from a clean folder "
                  "(its planning alone), each against ninja's no-op and Snakemake's dry-run.", "",
                  "| run | wall | vs ninja no-op | vs Snakemake dry-run | load |", "| --- | ---: | ---: | ---: | ---: |"]
        ninja_noop, snake_dry = runs.get("ninjaNoop"), runs.get("snakemakeDryRun")
        for key, name in [("databuildNoop", "DataBuild no-op"), ("ninjaNoop", "ninja no-op"), ("snakemakeDryRun", "Snakemake dry-run")]:
            run = runs.get(key)
            if not finished(run):
                lines.append(f"| {name} | {seconds(run)} | | | |")
                continue
            spread = f" (runs: {', '.join(f'{s:.2f}' for s in run['all'])})" if "all" in run else ""
            lines.append(f"| {name} | {seconds(run)}{spread} | {ratio(run['seconds'], lower_bound(ninja_noop), finished(ninja_noop))} "
                         f"| {ratio(run['seconds'], lower_bound(snake_dry), finished(snake_dry))} | {run['loadBefore']:.1f} |")
        lines.append("")
    return lines


MICRO_ROWS = [
    ("Append", "BEL append"),
    ("Events", "Making events (part of every append figure)"),
    ("Scan", "Filtered scan of 200,000 events"),
    ("Catalog", "Reduction of 1,000,000 events: the catalog alone, all four views, all four views from SQLite"),
    ("Lookup", "Lookup of 100,000 refs against 100 patterns"),
    ("Analysis", "Analysis of 100,000 partitions, configure in-process"),
]


def micro_section(micro: dict) -> list[str]:
    lines = ["## Micro-benchmarks (BenchmarkDotNet)", "",
             f"{micro['runtime']}, in-process toolchain, 3 warm-up and 10 measured iterations. Load is the one-minute "
             "load average when the run began.", ""]
    results = micro["results"]
    for cls, title in MICRO_ROWS:
        entries = [e for e in results.values() if e["class"] == cls]
        if not entries:
            continue
        lines += [f"### {title}", "", "| case | mean | ± sd | rate | allocated | run | load |", "| --- | ---: | ---: | ---: | ---: | --- | ---: |"]
        for e in entries:
            params = ", ".join(f"{k}={v}" for k, v in e["parameters"].items()) or e["method"]
            rate = f"{e['itemsPerSecond']:,.0f} {e['unit']}/s" if "itemsPerSecond" in e else "—"
            allocated = f"{e['allocatedBytes'] / 2**20:,.1f} MiB" if e.get("allocatedBytes") is not None else "—"
            lines.append(f"| {params} | {duration(e['meanNs'])} | {duration(e['stdDevNs'])} | {rate} | {allocated} | {e['date']} | {e['loadBefore']:.1f} |")
        lines.append("")
    return lines


def duration(ns: float) -> str:
    for unit, size in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= size:
            return f"{ns / size:,.2f} {unit}"
    return f"{ns:.0f} ns"


def micro_entry(micro: dict | None, key: str) -> dict | None:
    return (micro or {}).get("results", {}).get(key)


def targets_section(e2e: dict | None, micro: dict | None) -> list[str]:
    rows = []
    graph = next((g for g in (e2e or {}).get("graphs", []) if g["partitions"] == TRIVIAL_TARGET_SIZE and not g["sleepMs"]), None)
    if graph:
        runs = graph["runs"]
        db, ninja, snake, noop = runs["databuild"], runs["ninja"], runs.get("snakemake"), runs["databuildNoop"]
        snake_seconds = lower_bound(snake)
        if snake_seconds:
            speedup = snake_seconds / db["seconds"]
            qualifier = "" if finished(snake) else "≥ "
            rows.append(("10,000 partitions: DataBuild at least 10× faster than Snakemake end to end",
                         f"{qualifier}{speedup:.1f}× ({db['seconds']:.1f} s vs {seconds(snake)}; load {db['loadBefore']:.1f})",
                         verdict(speedup >= 10, speedup / 10, higher=True)))
        mine, theirs = overhead(db, graph), overhead(ninja, graph)
        rows.append(("10,000 partitions: overhead per job within 2× of ninja's",
                     f"{mine * 1000:.2f} ms vs {theirs * 1000:.2f} ms = {mine / theirs:.2f}× (load {db['loadBefore']:.1f})",
                     verdict(mine <= 2 * theirs, mine / theirs / 2)))
        rows.append(("10,000 partitions: no-op rebuild under 1 s (CLI)", f"{noop['seconds']:.2f} s (load {noop['loadBefore']:.1f})",
                     verdict(noop["seconds"] < 1, noop["seconds"])))
    analysis = micro_entry(micro, "Analysis.Analyze")
    if analysis:
        rows.append(("Analysis of 100,000 partitions under 1 s", f"{duration(analysis['meanNs'])} (load {analysis['loadBefore']:.1f})",
                     verdict(analysis["meanNs"] < 1e9, analysis["meanNs"] / 1e9)))
    catalog = micro_entry(micro, "Catalog.ReduceCatalog")
    if catalog:
        rate = catalog["itemsPerSecond"]
        rows.append(("Catalog reduction at least 5 million events/s (the partition catalog fed 1,000,000 parsed events)",
                     f"{rate / 1e6:.2f} M events/s (load {catalog['loadBefore']:.1f})",
                     verdict(rate >= 5e6, rate / 5e6, higher=True)))
    views = micro_entry(micro, "Catalog.ReduceAllViews")
    if views:
        rate = views["itemsPerSecond"]
        rows.append(("Not a target, for scale: all four views (catalog, job runs, build requests, wants), the fold every CLI start pays",
                     f"{rate / 1e6:.2f} M events/s (load {views['loadBefore']:.1f})",
                     f"not a target ({rate / 5e6:.0%} of 5 million/s)"))
    append = micro_entry(micro, "Append.AppendBatch[BatchSize=1000, Layer=storage, Backend=sqlite]")
    if append:
        rate = append["itemsPerSecond"]
        rows.append(("Batched SQLite append at least 200,000 events/s (batches of 1,000)", f"{rate:,.0f} events/s (load {append['loadBefore']:.1f})",
                     verdict(rate >= 2e5, rate / 2e5, higher=True)))
    lines = ["## Targets", "", "| target | measured | verdict |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in rows]
    return lines + [""]


def verdict(met: bool, ratio_to_target: float, higher: bool = False) -> str:
    if met:
        return "met"
    if higher:
        return f"**missed**: {ratio_to_target:.0%} of the target"
    return f"**missed** by {ratio_to_target - 1:.0%}"


def main() -> None:
    e2e, micro = load("e2e.json"), load("micro.json")
    if not e2e and not micro:
        sys.exit("no results yet: run bench/run.sh")
    lines = [
        "# Benchmark results",
        "",
        "Written by `bench/report.py` from `bench/results/*.json` and `bench/analysis.md`; every run of "
        "`bench/run.sh` rewrites it. Timings on a shared machine are noisy: read them with the load average beside them.",
        "",
        "To reproduce (from the repository root):",
        "",
        "```sh",
        "bench/run.sh                    # both parts below, then this file",
        "bench/run.sh --e2e              # DataBuild vs ninja vs Snakemake (installs ninja-build and snakemake with apt-get if missing)",
        "bench/run.sh --micro            # BenchmarkDotNet, PostgreSQL on a throwaway server with fsync on (scripts/postgres.sh)",
        "bench/run.sh --e2e --sizes 200 --sleep-size 0   # a quick check of the harness",
        "```",
        "",
    ]
    if e2e:
        settings = ", ".join(f"{k} {v}" for k, v in e2e["settings"].items())
        lines += [f"Settings of the last end-to-end run: {settings}.", ""]
    lines += targets_section(e2e, micro)
    analysis = HERE / "analysis.md"
    if analysis.exists():
        lines += [analysis.read_text().rstrip(), ""]
    if e2e:
        lines += e2e_section(e2e)
    if micro:
        lines += micro_section(micro)
    (HERE / "RESULTS.md").write_text("\n".join(lines).rstrip() + "\n")


if __name__ == "__main__":
    main()
