#!/usr/bin/env python3
"""How commands scale with history (issue 16): grows the log of the 1,000-partition benchmark graph with
forced builds and times the no-op build and `status` after 1, 10 and 100 builds, on SQLite and PostgreSQL, in
one run, printed as ratios to the time after 1 build.

Each checkpoint takes the median of --repeats runs of each command. A forced build is `databuild build --force`
of every partition (about 7,000 events each). The no-op is the build compare.py times (the top layer, all
available); it must run no job. With --base-cli, a second CLI (say, the commit before snapshots) is timed at
the same checkpoints on the same log, so both see the same machine in the same minutes.
"""

import argparse
import json
import os
import statistics
import subprocess
from pathlib import Path

import generate
from compare import RunFailed, all_refs, fresh_copy, timed


def median_of(command: list[str], folder: Path, log: Path, repeats: int) -> float:
    return statistics.median(timed(command, folder, log)["seconds"] for _ in range(repeats))


def postgres_database(connection: str, name: str) -> str:
    """A new, empty database on the server of `connection`, for one backend's log."""
    subprocess.run(["psql", npgsql_to_psql(connection + ";Database=postgres"), "-v", "ON_ERROR_STOP=1", "-q", "-c", f"DROP DATABASE IF EXISTS {name}", "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    return f"{connection};Database={name}"


def npgsql_to_psql(connection: str) -> str:
    parts = dict(p.split("=", 1) for p in connection.split(";") if p)
    keys = {"Host": "host", "Port": "port", "Username": "user", "Database": "dbname", "Password": "password"}
    return " ".join(f"{keys[k]}={v}" for k, v in parts.items() if k in keys)


def run_backend(cli: Path, base: Path | None, source: Path, work: Path, meta: dict, bel: str | None, options) -> dict:
    folder = fresh_copy(source, work)
    log = folder / "bench.log"
    bel_args = ["--bel", bel] if bel else []
    def command(exe: Path, *rest: str) -> list[str]:
        return [os.fspath(exe), "--graph", os.fspath(folder), *bel_args, *rest]
    noop_args = ["build", "--parallelism", str(options.jobs), *meta["targets"]]
    forced = command(cli, "build", "--force", "--parallelism", str(options.jobs), *all_refs(meta))
    timed(command(cli, *noop_args), folder, log)
    builds = 1
    figures = []
    for checkpoint in options.checkpoints:
        while builds < checkpoint:
            timed(forced, folder, log)
            builds += 1
        runs_before = len(list((folder / ".databuild" / "logs").iterdir()))
        row = {"builds": builds}
        for name, exe in (("new", cli), ("base", base)):
            if exe is None:
                continue
            row[f"{name}Noop"] = median_of(command(exe, *noop_args), folder, log, options.repeats)
            row[f"{name}Status"] = median_of(command(exe, "status"), folder, log, options.repeats)
        if len(list((folder / ".databuild" / "logs").iterdir())) != runs_before:
            raise RunFailed("a no-op build ran jobs")
        verify = subprocess.run(command(cli, "--json", "verify"), capture_output=True, text=True, check=True)
        row["events"] = json.loads(verify.stdout)["events"]
        figures.append(row)
        first = figures[0]
        line = f"  after {builds:>3} builds  no-op {row['newNoop']:6.3f} s ({row['newNoop'] / first['newNoop']:.2f}x)  status {row['newStatus']:6.3f} s ({row['newStatus'] / first['newStatus']:.2f}x)"
        if base is not None:
            line += f"   base: no-op {row['baseNoop']:6.3f} s ({row['baseNoop'] / first['baseNoop']:.2f}x)  status {row['baseStatus']:6.3f} s ({row['baseStatus'] / first['baseStatus']:.2f}x)"
        print(line + f"  events {row['events']:,}  load {os.getloadavg()[0]:.1f}", flush=True)
    return {"figures": figures}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", type=Path, required=True, help="the databuild executable to measure")
    parser.add_argument("--base-cli", type=Path, help="a second databuild to time at the same checkpoints (before/after)")
    parser.add_argument("--work", type=Path, required=True, help="scratch folder")
    parser.add_argument("--postgres", help="an Npgsql connection string without Database= (a database is created per run); PostgreSQL is left out without it")
    parser.add_argument("--backends", default="sqlite,postgres", help="which logs to grow (postgres needs --postgres)")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--checkpoints", default="1,10,100", type=lambda s: [int(c) for c in s.split(",")])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    options = parser.parse_args()
    source = options.work / "source"
    meta = generate.generate(source, 10, options.size // 10, 2, 0)
    results = {}
    wanted = options.backends.split(",")
    backends = [("sqlite", None)] if "sqlite" in wanted else []
    if options.postgres and "postgres" in wanted:
        backends.append(("postgres", "postgres:" + postgres_database(options.postgres, f"bench_history_{os.getpid()}")))
    for name, bel in backends:
        print(f"{name}: {options.size} partitions, forced builds of every partition", flush=True)
        results[name] = run_backend(options.cli.resolve(), options.base_cli.resolve() if options.base_cli else None,
                                    source, options.work / name, meta, bel, options)
    if options.out:
        options.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
