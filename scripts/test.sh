#!/usr/bin/env bash
# Runs the whole test suite, exactly as CI does (.ci/run calls this script). The PostgreSQL tests get a
# throwaway server of their own from scripts/postgres.sh, stopped however the run ends; the Slurm tests a
# one-node cluster of their own from scripts/slurm.sh, stopped the same way; the dashboard's browser
# tests get chromium from scripts/chromium.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
# A state file of this run's own: runs side by side on one machine never stop or restart each other's server.
DATABUILD_PG_STATE="$(mktemp -u "${TMPDIR:-/tmp}/databuild-test-postgres.XXXXXX")"
export DATABUILD_PG_STATE
DATABUILD_SLURM_STATE="$(mktemp -u "${TMPDIR:-/tmp}/databuild-test-slurm.XXXXXX")"
export DATABUILD_SLURM_STATE
trap 'bash scripts/postgres.sh stop; bash scripts/slurm.sh stop' EXIT
# Assigned first: a failed start inside eval "$(…)" would go unnoticed.
server_env=$(bash scripts/postgres.sh start)
eval "$server_env"
# The Slurm executor's tests submit to this cluster (SLURM_CONF); slurm-wlm and munge are installed when missing.
slurm_env=$(bash scripts/slurm.sh start)
eval "$slurm_env"
# The dashboard's browser tests drive Debian's chromium, installed when missing.
browser_env=$(bash scripts/chromium.sh)
eval "$browser_env"
dotnet test DataBuild.sln --nologo "$@"
