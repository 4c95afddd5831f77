#!/usr/bin/env python3
"""Writes one synthetic graph three ways: a DataBuild manifest, a Snakefile and a build.ninja.

The graph has LAYERS layers of WIDTH partitions; layer=L/part=I (L > 0) needs K partitions of the layer
below, chosen by job.sh (the single source of the edges: DataBuild asks its configure verb, and the
Snakefile and build.ninja written here use the same formula). Every tool runs the same job.sh per
partition, so the comparison is of the tools, not of the jobs.
"""

import argparse
import json
import os
import shutil
import stat
from pathlib import Path

HERE = Path(__file__).resolve().parent


def ref(layer: int, part: int) -> str:
    return f"layer={layer}/part={part}"


def inputs_of(layer: int, part: int, width: int, k: int) -> list[str]:
    # Must agree with configure() in job.sh.
    if layer == 0:
        return []
    stride = width // k
    return [ref(layer - 1, (part + j * stride) % width) for j in range(k)]


def job_args(width: int, k: int, sleep_ms: int) -> list[str]:
    return [str(width), str(k), str(sleep_ms)]


def write_manifest(folder: Path, label: str, args: list[str]) -> None:
    manifest = {
        "label": label,
        "jobs": [{"label": "part", "command": ["./job.sh", *args], "outputs": ["layer={layer}/part={part}"]}],
    }
    (folder / "graph.json").write_text(json.dumps(manifest, indent=2) + "\n")


def write_snakefile(folder: Path, layers: int, width: int, k: int, args: list[str]) -> None:
    # One rule with an input function, as a Snakemake user would write it; a rule per partition would
    # only make Snakemake slower to parse.
    (folder / "Snakefile").write_text(f"""\
WIDTH, K, LAYERS = {width}, {k}, {layers}

def upstream(wildcards):
    layer, part = int(wildcards.layer), int(wildcards.part)
    if layer == 0:
        return []
    stride = WIDTH // K
    return [f"data/layer={{layer - 1}}/part={{(part + j * stride) % WIDTH}}" for j in range(K)]

wildcard_constraints:
    layer=r"\d+",
    part=r"\d+"

rule all:
    input: [f"data/layer={{LAYERS - 1}}/part={{i}}" for i in range(WIDTH)]

rule part:
    input: upstream
    output: "data/layer={{layer}}/part={{part}}"
    shell: "./job.sh {' '.join(args)} write {{output}}"
""")


def write_ninja(folder: Path, layers: int, width: int, k: int, args: list[str]) -> None:
    lines = ["rule part", f"  command = ./job.sh {' '.join(args)} write $out", ""]
    for layer in range(layers):
        for part in range(width):
            deps = " ".join(f"data/{r}" for r in inputs_of(layer, part, width, k))
            lines.append(f"build data/{ref(layer, part)}: part{' ' + deps if deps else ''}")
    lines.append("")
    lines.append("default " + " ".join(f"data/{ref(layers - 1, part)}" for part in range(width)))
    (folder / "build.ninja").write_text("\n".join(lines) + "\n")


def generate(folder: Path, layers: int, width: int, k: int, sleep_ms: int) -> dict:
    if k < 1 or k > width:
        raise SystemExit(f"k must be between 1 and the width ({width}), got {k}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    job = folder / "job.sh"
    shutil.copyfile(HERE / "job.sh", job)
    job.chmod(job.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    args = job_args(width, k, sleep_ms)
    label = f"bench_{layers}x{width}_k{k}" + (f"_sleep{sleep_ms}ms" if sleep_ms else "")
    write_manifest(folder, label, args)
    write_snakefile(folder, layers, width, k, args)
    write_ninja(folder, layers, width, k, args)
    meta = {
        "label": label,
        "layers": layers,
        "width": width,
        "k": k,
        "sleepMs": sleep_ms,
        "partitions": layers * width,
        "jobArgs": args,
        "targets": [ref(layers - 1, part) for part in range(width)],
    }
    (folder / "graph.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="where to write the graph (replaced if it exists)")
    parser.add_argument("--layers", type=int, default=10)
    parser.add_argument("--width", type=int, required=True, help="partitions per layer")
    parser.add_argument("-k", type=int, default=2, help="inputs per partition, from the layer below")
    parser.add_argument("--sleep-ms", type=int, default=0, help="how long each job sleeps (0: trivial jobs)")
    options = parser.parse_args()
    meta = generate(options.folder, options.layers, options.width, options.k, options.sleep_ms)
    print(f"{meta['label']}: {meta['partitions']} partitions in {os.fspath(options.folder)}")


if __name__ == "__main__":
    main()
