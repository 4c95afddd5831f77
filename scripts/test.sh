#!/usr/bin/env bash
# Runs the whole test suite, exactly as CI does (.ci/run calls this script).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test DataBuild.sln --nologo "$@"
