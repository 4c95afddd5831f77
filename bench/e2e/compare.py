#!/usr/bin/env python3
"""Builds the same synthetic graphs with DataBuild, ninja and Snakemake, one after the other, and writes
the timings as JSON for report.py.

Every run starts from a fresh copy of the generated folder, so no tool sees another's outputs or state.
Each run is checked: a build that exits non-zero or leaves a partition unbuilt fails the whole comparison,
since a fast wrong build proves nothing.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import time
from pathlib import Path

import generate

HERE = Path(__file__).resolve().parent


class RunFailed(Exception):
    pass


def timed(command: list[str], cwd: Path, log: Path, timeout: float | None = None) -> dict:
    """Runs command, its output to log; returns wall seconds, CPU seconds (user + system of the command and every
    process it waited for: its jobs), and the load average just before it started. CPU time is what a side-by-side
    comparison can trust on a loaded machine, where wall time mostly measures the neighbours."""
    load = os.getloadavg()[0]
    cpu_before = cpu_of_children()
    with log.open("ab") as out:
        out.write(f"$ {' '.join(command[:12])}{' ...' if len(command) > 12 else ''}\n".encode())
        out.flush()
        started = time.perf_counter()
        # A session of its own, so a run past its budget is stopped with everything it started.
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return {"seconds": time.perf_counter() - started, "timedOut": True, "loadBefore": load}
        seconds = time.perf_counter() - started
    if code != 0:
        raise RunFailed(f"{' '.join(command[:3])} exited with {code} in {cwd}; see {log}")
    return {"seconds": seconds, "cpuSeconds": cpu_of_children() - cpu_before, "loadBefore": load}


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def fresh_copy(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def check_built(folder: Path, meta: dict, tool: str) -> None:
    missing = [r for r in all_refs(meta) if not (folder / "data" / r).is_file()]
    if missing:
        raise RunFailed(f"{tool} left {len(missing)} of {meta['partitions']} partitions unbuilt, e.g. {missing[0]}")


def all_refs(meta: dict) -> list[str]:
    return [generate.ref(layer, part) for layer in range(meta["layers"]) for part in range(meta["width"])]


def job_unit_seconds(source: Path, scratch: Path, meta: dict, samples: int) -> float:
    """The work of one job, run alone: one start of job.sh writing one file, as every tool runs it."""
    folder = fresh_copy(source, scratch)
    command = ["./job.sh", *meta["jobArgs"], "write"]
    subprocess.run([*command, "data/probe/warm-up"], cwd=folder, check=True)
    durations = []
    for i in range(samples):
        started = time.perf_counter()
        subprocess.run([*command, f"data/probe/{i}"], cwd=folder, check=True)
        durations.append(time.perf_counter() - started)
    shutil.rmtree(folder)
    return statistics.median(durations)


def run_databuild(cli: Path, source: Path, work: Path, meta: dict, jobs: int, noop_repeats: int) -> dict:
    folder = fresh_copy(source, work / "databuild")
    log = folder / "bench.log"
    build = [os.fspath(cli), "--graph", os.fspath(folder), "build", "--parallelism", str(jobs), *meta["targets"]]
    cold = timed(build, folder, log)
    check_built(folder, meta, "DataBuild")
    runs_before = len(list((folder / ".databuild" / "logs").iterdir()))
    noops = [timed(build, folder, log) for _ in range(noop_repeats)]
    if len(list((folder / ".databuild" / "logs").iterdir())) != runs_before:
        raise RunFailed("DataBuild's no-op rebuild ran jobs")
    return {"databuild": cold, "databuildNoop": median_run(noops)}


def run_ninja(source: Path, work: Path, meta: dict, jobs: int, noop_repeats: int) -> dict:
    folder = fresh_copy(source, work / "ninja")
    log = folder / "bench.log"
    cold = timed(["ninja", "-j", str(jobs)], folder, log)
    check_built(folder, meta, "ninja")
    noops = [timed(["ninja", "-j", str(jobs)], folder, log) for _ in range(noop_repeats)]
    if "no work to do" not in log.read_text().splitlines()[-1]:
        raise RunFailed("ninja's no-op rebuild did some work")
    return {"ninja": cold, "ninjaNoop": median_run(noops)}


def run_snakemake(source: Path, work: Path, meta: dict, jobs: int, budget: float, estimate: float | None) -> dict:
    if estimate is not None and estimate > budget:
        skipped = {"skipped": True, "estimateSeconds": estimate}
        return {"snakemakeDryRun": skipped, "snakemake": skipped}
    folder = fresh_copy(source, work / "snakemake")
    log = folder / "bench.log"
    snakemake = ["snakemake", "--snakefile", "Snakefile", "--cores", str(jobs)]
    dry = timed([*snakemake, "--dry-run", "--quiet"], folder, log, timeout=budget)
    if dry.get("timedOut"):
        return {"snakemakeDryRun": dry, "snakemake": {"skipped": True, "estimateSeconds": dry["seconds"]}}
    cold = timed(snakemake, folder, log, timeout=budget)
    if not cold.get("timedOut"):
        check_built(folder, meta, "Snakemake")
    return {"snakemakeDryRun": dry, "snakemake": cold}


def median_run(runs: list[dict]) -> dict:
    seconds = sorted(r["seconds"] for r in runs)
    cpu = sorted(r["cpuSeconds"] for r in runs if "cpuSeconds" in r)
    return {"seconds": statistics.median(seconds), "all": seconds, "cpuSeconds": statistics.median(cpu) if cpu else None,
            "allCpu": cpu, "loadBefore": runs[0]["loadBefore"]}


def versions(cli: Path) -> dict:
    def first_line(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "not found"
    return {
        "dotnet": first_line(["dotnet", "--version"]),
        "ninja": first_line(["ninja", "--version"]),
        "snakemake": first_line(["snakemake", "--version"]),
        "bash": first_line(["bash", "--version"]),
        "databuildCommit": first_line(["git", "-C", os.fspath(HERE), "rev-parse", "--short", "HEAD"]),
        "databuildCli": os.fspath(cli),
    }


def machine() -> dict:
    model = "unknown"
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as meminfo:
        kib = int(meminfo.readline().split()[1])
    return {"cpu": model, "cores": os.cpu_count(), "memoryGiB": round(kib / 2**20), "os": platform.platform()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", type=Path, required=True, help="the databuild executable to measure")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder for the graphs and the runs")
    parser.add_argument("--out", type=Path, required=True, help="the JSON results file to write")
    parser.add_argument("--sizes", default="1000,10000", help="partition counts of the trivial graphs")
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("-k", type=int, default=2)
    parser.add_argument("--sleep-ms", type=int, default=100, help="how long each job of the sleeping graph sleeps")
    parser.add_argument("--sleep-size", type=int, default=1000, help="partitions of the sleeping graph (0: none)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count(), help="parallelism of every tool")
    parser.add_argument("--snakemake-budget", type=float, default=600,
                        help="seconds a Snakemake run may take; a larger graph whose linear estimate from a smaller one exceeds it is skipped")
    parser.add_argument("--noop-repeats", type=int, default=3)
    options = parser.parse_args()
    options.cli = options.cli.resolve()

    plans = [(int(size), 0) for size in options.sizes.split(",") if size]
    if options.sleep_size > 0:
        plans.append((options.sleep_size, options.sleep_ms))
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "versions": versions(options.cli),
        "jobs": options.jobs,
        "settings": {"sizes": options.sizes, "layers": options.layers, "k": options.k, "sleepMs": options.sleep_ms,
                     "sleepSize": options.sleep_size, "snakemakeBudgetSeconds": options.snakemake_budget,
                     "noopRepeats": options.noop_repeats},
        "graphs": [],
    }
    snakemake_rate: dict[int, float] = {}
    for size, sleep_ms in plans:
        if size % options.layers:
            raise SystemExit(f"{size} partitions do not split into {options.layers} layers")
        name = f"{size}" + (f"-sleep{sleep_ms}" if sleep_ms else "")
        source = options.work / name / "source"
        meta = generate.generate(source, options.layers, size // options.layers, options.k, sleep_ms)
        print(f"{meta['label']}: {size} partitions", flush=True)
        unit = job_unit_seconds(source, options.work / name / "probe", meta, samples=20 if sleep_ms else 100)
        entry = {**{k: v for k, v in meta.items() if k != "targets"}, "jobUnitSeconds": unit,
                 "criticalPathSeconds": unit * options.layers, "runs": {}}
        runs = entry["runs"]
        runs.update(run_ninja(source, options.work / name, meta, options.jobs, options.noop_repeats))
        print(f"  ninja      {runs['ninja']['seconds']:8.2f} s", flush=True)
        runs.update(run_databuild(options.cli, source, options.work / name, meta, options.jobs, options.noop_repeats))
        print(f"  databuild  {runs['databuild']['seconds']:8.2f} s, no-op {runs['databuildNoop']['seconds']:.2f} s", flush=True)
        smaller = [s for s in snakemake_rate if s < size]
        estimate = snakemake_rate[max(smaller)] * size if smaller else None
        runs.update(run_snakemake(source, options.work / name, meta, options.jobs, options.snakemake_budget, estimate))
        snake = runs["snakemake"]
        if not sleep_ms and "skipped" not in snake and not snake.get("timedOut"):
            snakemake_rate[size] = snake["seconds"] / size
        print(f"  snakemake  {describe(snake)}, dry-run {describe(runs['snakemakeDryRun'])}", flush=True)
        results["graphs"].append(entry)
        shutil.rmtree(options.work / name)
    options.out.parent.mkdir(parents=True, exist_ok=True)
    options.out.write_text(json.dumps(results, indent=2) + "\n")


def describe(run: dict) -> str:
    if run.get("skipped"):
        return f"skipped (estimated >= {run['estimateSeconds']:.0f} s)"
    return f"{run['seconds']:8.2f} s" + (" (stopped at the budget)" if run.get("timedOut") else "")


if __name__ == "__main__":
    main()
