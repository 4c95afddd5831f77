#!/usr/bin/env bash
# A DataBuild job in plain bash and coreutils, honouring docs/job-contract.md. It builds numbers/n={n}: a
# file under $DATA_DIR holding n, computed as the value of numbers/n={n-1} plus one, so each partition
# really reads its upstream. It behaves exactly like the C# example, tests/DataBuild.Job.Example.
set -euo pipefail
shopt -s inherit_errexit

usage_text() {
  cat <<'USAGE'
usage: numbers-job.sh configure <ref> [<ref> ...]
       numbers-job.sh exec    (JobConfig JSON on stdin; DATABUILD_OUTPUTS and DATA_DIR in the environment)
exit codes: 0 success, 1 failure, 2 bad usage or input, 3 missing dependencies
USAGE
}

usage_error() {
  echo "error: $*" >&2
  usage_text >&2
  exit 2
}

fail() {
  echo "error: $*" >&2
  exit 1
}

# Canonical whole numbers only, so two spellings of one number never name two partitions.
number_of() {
  [[ $1 =~ ^numbers/n=(0|[1-9][0-9]*)$ ]] || fail "'$1' does not match numbers/n={n} with n a whole number"
  echo "${BASH_REMATCH[1]}"
}

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# Prints "n ref" lines sorted by n, duplicates dropped: one run builds all of its outputs in ascending order.
sorted_by_number() {
  local ref n
  for ref in "$@"; do
    n=$(number_of "$ref")
    echo "$n $ref"
  done | sort -n -u
}

# The upstream of numbers/n={n}, unless it is n=0 or another output of the same run, which builds it first.
declare -A building=()
upstream_of() {
  local n=$1
  if ((n > 0)) && [[ -z ${building[$((n - 1))]:-} ]]; then echo "numbers/n=$((n - 1))"; fi
}

configure() {
  (($# > 0)) || usage_error "configure needs at least one partition ref"
  [[ -n ${DATA_DIR:-} ]] || fail "set DATA_DIR to the folder that holds the numbers"
  local lines n ref upstream outputs="" inputs=""
  lines=$(sorted_by_number "$@")
  while read -r n ref; do building[$n]=1; done <<<"$lines"
  while read -r n ref; do
    outputs+="${outputs:+,}{\"str\":\"$ref\"}"
    upstream=$(upstream_of "$n")
    if [[ -n $upstream ]]; then inputs+="${inputs:+,}{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"$upstream\"}}"; fi
  done <<<"$lines"
  # DATA_DIR goes in the config, so a recorded config replays exactly.
  printf '{"configs":[{"outputs":[%s],"inputs":[%s],"args":[],"env":{"DATA_DIR":%s}}]}\n' \
    "$outputs" "$inputs" "$(json_string "$(realpath -m "$DATA_DIR")")"
}

# Writes $2 to $1 so readers see the whole file or none of it: a temporary file in the same folder,
# flushed to disk, then renamed over the target (a rename within one folder is atomic).
write_atomically() {
  local target=$1 temporary
  mkdir -p "$(dirname "$target")"
  # Hidden, so globs over the folder skip it; the pid keeps concurrent runs apart.
  temporary="$(dirname "$target")/.$(basename "$target").$$.tmp"
  trap "rm -f $(printf '%q' "$temporary")" EXIT
  printf '%s' "$2" >"$temporary"
  sync "$temporary"
  mv -f "$temporary" "$target"
  trap - EXIT
}

exec_run() {
  # The config on stdin is not needed here: DATABUILD_OUTPUTS and the config's env say everything.
  cat >/dev/null
  [[ -n ${DATABUILD_OUTPUTS:-} ]] || { echo "error: exec needs DATABUILD_OUTPUTS (the graph sets it)" >&2; exit 2; }
  [[ -n ${DATA_DIR:-} ]] || fail "DATA_DIR is not set: is the config's env missing?"
  local -a refs
  local lines n ref upstream value impacted="" missing=""
  IFS=';' read -r -a refs <<<"$DATABUILD_OUTPUTS"
  lines=$(sorted_by_number "${refs[@]}")
  while read -r n ref; do building[$n]=1; done <<<"$lines"
  while read -r n ref; do
    upstream=$(upstream_of "$n")
    if [[ -n $upstream && ! -f $DATA_DIR/$upstream ]]; then missing+="${missing:+,}{\"str\":\"$upstream\"}"; fi
  done <<<"$lines"
  if [[ -n $missing ]]; then
    for ref in "${refs[@]}"; do impacted+="${impacted:+,}{\"str\":\"$ref\"}"; done
    printf 'DATABUILD_MISSING_DEPS_JSON: {"missingDeps":[{"impacted":[%s],"missing":[%s]}]}\n' "$impacted" "$missing"
    exit 3
  fi
  while read -r n ref; do
    value=0
    if ((n > 0)); then
      value=$(<"$DATA_DIR/numbers/n=$((n - 1))")
      [[ $value =~ ^[0-9]+$ ]] || fail "numbers/n=$((n - 1)) holds '$value', not a whole number"
      value=$((10#$value + 1))
    fi
    write_atomically "$DATA_DIR/$ref" "$value"
    echo "${DATABUILD_JOB_RUN_ID:-}: wrote $ref = $value"
  done <<<"$lines"
}

case "${1:-}" in
  configure) shift; configure "$@" ;;
  exec) shift; exec_run "$@" ;;
  --help | -h) usage_text ;;
  "") usage_error "no verb given" ;;
  *) usage_error "unknown verb '$1'" ;;
esac
