#!/usr/bin/env python3
"""Overhead per job run on Slurm against local: 100 trivial jobs, one build each way, side by side.

    eval "$(bash scripts/slurm.sh start)"
    python3 bench/slurm/executors.py --cli 'dotnet src/DataBuild.Cli/bin/Release/net10.0/databuild.dll' [--jobs 100]

Each run builds the same 100 independent partitions t/1..t/100 of one trivial bash job from a fresh folder:
local at -j cores, Slurm at -j cores (the cluster's cores are the limit either way) and Slurm at -j jobs (every
run submitted at once, the cluster queueing what it cannot run yet). While a Slurm build runs, squeue is sampled
every 50 ms: the most of the build's jobs Slurm held at once is how many runs the executor kept in flight.
"""
import argparse
import json
import os
import shlex
import subprocess
import tempfile
import threading
import time

JOB = """#!/usr/bin/env bash
verb=$1; shift
case $verb in
configure)
  printf '{"configs":['; f=1
  for r in "$@"; do [ $f = 1 ] || printf ','; f=0; printf '{"outputs":[{"str":"%s"}],"args":["%s"]}' "$r" "$r"; done
  printf ']}\\n';;
exec) mkdir -p data && echo ok > "data/${1//\\//_}";;
esac
"""


def build(cli, jobs, executor, parallelism):
    folder = tempfile.mkdtemp(prefix="databuild-bench-slurm.")
    with open(os.path.join(folder, "job.sh"), "w") as f:
        f.write(JOB)
    os.chmod(os.path.join(folder, "job.sh"), 0o755)
    graph = {"label": "bench", "jobs": [{"label": "t", "command": ["./job.sh"], "outputs": ["t/{n}"]}]}
    with open(os.path.join(folder, "graph.json"), "w") as f:
        json.dump(graph, f)
    refs = [f"t/{i}" for i in range(1, jobs + 1)]
    # The log is created and the graph checked once before timing: only the builds are measured.
    subprocess.run(shlex.split(cli) + ["status"], cwd=folder, check=True, capture_output=True)
    most = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            out = subprocess.run(["squeue", "--noheader", "--format=%j"], capture_output=True, text=True).stdout
            logs = os.path.join(folder, ".databuild", "logs")
            ours = {n[:-4] for n in os.listdir(logs)} if os.path.isdir(logs) else set()
            most[0] = max(most[0], sum(1 for line in out.split() if line in ours))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample) if executor == "slurm" else None
    if sampler:
        sampler.start()
    start = time.monotonic()
    result = subprocess.run(shlex.split(cli) + ["build", "--executor", executor, "-j", str(parallelism)] + refs,
                            cwd=folder, capture_output=True, text=True)
    seconds = time.monotonic() - start
    done.set()
    if sampler:
        sampler.join()
    built = len(os.listdir(os.path.join(folder, "data"))) if os.path.isdir(os.path.join(folder, "data")) else 0
    if result.returncode != 0 or built != jobs:
        raise SystemExit(f"{executor} -j {parallelism}: exit {result.returncode}, {built} of {jobs} built\n{result.stdout}{result.stderr}")
    subprocess.run(["rm", "-rf", folder])
    return seconds, most[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cli", required=True, help="the databuild command, e.g. 'dotnet …/databuild.dll'")
    parser.add_argument("--jobs", type=int, default=100)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows = [("local", cores), ("slurm", cores), ("slurm", args.jobs)]
    results = [(executor, j, *build(args.cli, args.jobs, executor, j)) for executor, j in rows]
    local = results[0][2]
    print(f"{args.jobs} trivial job runs, {cores} cores")
    print(f"{'executor':<10}{'-j':>5}{'wall s':>9}{'per run ms':>12}{'x local':>9}{'most in flight':>16}")
    for executor, j, seconds, most in results:
        flight = str(most) if executor == "slurm" else "-"
        print(f"{executor:<10}{j:>5}{seconds:>9.2f}{seconds / args.jobs * 1000:>12.1f}{seconds / local:>9.1f}{flight:>16}")


if __name__ == "__main__":
    main()
