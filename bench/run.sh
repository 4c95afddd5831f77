#!/usr/bin/env bash
# Runs the benchmarks and rewrites bench/RESULTS.md (see bench/README.md).
#
#   bench/run.sh [--e2e [compare.py options, e.g. --sizes 200 --sleep-size 0]]
#   bench/run.sh [--micro [BenchmarkDotNet options, e.g. --filter '*Append*']]
#
# With neither --e2e nor --micro both parts run. Results go to bench/results/*.json; RESULTS.md is written
# from the latest of each part, so running one part keeps the other's figures.
set -euo pipefail
cd "$(dirname "$0")/.."

e2e=1 micro=1
case "${1:-}" in
  --e2e) micro=0; shift ;;
  --micro) e2e=0; shift ;;
esac

log() { echo "bench: $*" >&2; }

install_tools() {
  local missing=()
  command -v ninja >/dev/null || missing+=(ninja-build)
  command -v snakemake >/dev/null || missing+=(snakemake)
  ((${#missing[@]} == 0)) && return
  log "installing ${missing[*]} from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# A PostgreSQL server of the benchmarks' own, syncing its commits as a production server does (the tests'
# server does not), unless DATABUILD_TEST_POSTGRES already names one. Without PostgreSQL installed, its
# rows are left out; scripts/postgres.sh installs it when run as root.
start_postgres() {
  [ -n "${DATABUILD_TEST_POSTGRES:-}" ] && return
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    log "PostgreSQL is not installed: its rows are left out (install it, or set DATABUILD_TEST_POSTGRES)"
    return
  fi
  DATABUILD_PG_STATE="$(mktemp -u "${TMPDIR:-/tmp}/databuild-bench-postgres.XXXXXX")"
  export DATABUILD_PG_STATE
  cleanup_postgres=1
  local server_env
  server_env=$(DATABUILD_PG_FSYNC=on bash scripts/postgres.sh start)
  eval "$server_env"
}

cleanup() {
  [ -n "${cleanup_postgres:-}" ] && bash scripts/postgres.sh stop
  [ -n "${work:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT

if ((e2e)); then
  install_tools
  log "publishing the CLI (Release)"
  dotnet publish src/DataBuild.Cli -c Release -o bench/artifacts/cli --nologo -v quiet >/dev/null
  work=$(mktemp -d "${TMPDIR:-/tmp}/databuild-e2e.XXXXXX")
  log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 bench/e2e/compare.py --cli bench/artifacts/cli/databuild --work "$work" --out bench/results/e2e.json "$@"
fi

if ((micro)); then
  start_postgres
  log "building the micro-benchmarks (Release)"
  dotnet build bench/DataBuild.Benchmarks -c Release --nologo -v quiet >/dev/null
  # Options given are BenchmarkDotNet's (e.g. --filter '*Append*'); by default every benchmark runs.
  if (($#)); then options=("$@"); else options=(--filter '*'); fi
  mkdir -p bench/artifacts
  log "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  (cd bench/artifacts && dotnet ../DataBuild.Benchmarks/bin/Release/net10.0/DataBuild.Benchmarks.dll \
    --results ../results/micro.json "${options[@]}")
fi

python3 bench/report.py
log "wrote bench/RESULTS.md"
