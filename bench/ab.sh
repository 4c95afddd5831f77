#!/usr/bin/env bash
# Before and after, in one run: publishes the CLI at a base commit (A) and from the working tree (B) in
# Release, then builds the same generated graphs with both, alternating, and prints the medians and B/A.
#
#   bench/ab.sh <base commit> [ab.py options, e.g. --sizes 1000 --rounds 5]
#
# Nothing is written to bench/results; pass --out FILE to keep the figures.
set -euo pipefail
cd "$(dirname "$0")/.."

if (($# < 1)); then
  echo "usage: bench/ab.sh <base commit> [--sizes 1000,10000] [--rounds 3] [--noops 3] [--out FILE]" >&2
  exit 2
fi
base=$1
shift
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || { echo "ab.sh: '$base' is not a commit of this repository" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/databuild-ab.XXXXXX")
cleanup() {
  git worktree remove --force "$work/base-src" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "ab.sh: publishing A ($(git rev-parse --short "$base")) and B (working tree) in Release" >&2
git worktree add --detach "$work/base-src" "$base" >/dev/null 2>&1
dotnet publish "$work/base-src/src/DataBuild.Cli" -c Release -o "$work/a" --nologo -v quiet >/dev/null
dotnet publish src/DataBuild.Cli -c Release -o "$work/b" --nologo -v quiet >/dev/null
echo "ab.sh: load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 bench/e2e/ab.py --a "$work/a/databuild" --b "$work/b/databuild" --work "$work/runs" "$@"
