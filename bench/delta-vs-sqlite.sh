#!/usr/bin/env bash
# The same builds on two backends, side by side in one run: publishes the CLI in Release once, then builds the
# generated graphs with the default sqlite: log (A) and with --bel delta:.databuild/bel-delta (B), alternating,
# and prints the medians and B/A (bench/e2e/ab.py).
#
#   bench/delta-vs-sqlite.sh [ab.py options, e.g. --sizes 1000 --rounds 3]
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/databuild-delta-vs-sqlite.XXXXXX")
trap 'rm -rf "$work"' EXIT

echo "delta-vs-sqlite.sh: publishing the CLI (Release)" >&2
dotnet publish src/DataBuild.Cli -c Release -o "$work/cli" --nologo -v quiet >/dev/null
# B: the same CLI on a Delta log in the graph's folder (ab.py runs each build there).
cat >"$work/databuild-delta" <<WRAPPER
#!/usr/bin/env bash
exec "$work/cli/databuild" --bel delta:.databuild/bel-delta "\$@"
WRAPPER
chmod +x "$work/databuild-delta"
echo "delta-vs-sqlite.sh: load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
python3 bench/e2e/ab.py --a "$work/cli/databuild" --b "$work/databuild-delta" --work "$work/runs" "$@"
