#!/bin/bash
# The one job of the synthetic benchmark graph, called the same way by every tool so that they all pay for
# the same process and the same work:
#
#   job.sh WIDTH K SLEEP_MS configure REF...   DataBuild's configure verb (docs/job-contract.md)
#   job.sh WIDTH K SLEEP_MS exec               DataBuild's exec verb: builds $DATABUILD_OUTPUTS
#   job.sh WIDTH K SLEEP_MS write PATH         what ninja and Snakemake run: builds the file PATH
#
# Partition layer=L/part=I (L > 0) needs layer=L-1/part=(I + j*WIDTH/K) mod WIDTH for j in 0..K-1.
# Only bash builtins run here (plus sleep in the sleeping variant, and one mkdir per layer folder), so the
# job's cost is one bash start: a fork per dependency would make configure, not the tools, the subject.
set -euo pipefail

width=$1 k=$2 sleep_ms=$3 verb=$4
shift 4

configure() {
  local ref layer part j first=1 inputs stride=$((width / k))
  printf '{"configs":['
  for ref in "$@"; do
    [[ $ref =~ ^layer=([0-9]+)/part=([0-9]+)$ ]] || { echo "not a benchmark partition: $ref" >&2; exit 1; }
    layer=${BASH_REMATCH[1]} part=${BASH_REMATCH[2]} inputs=""
    if ((layer > 0)); then
      for ((j = 0; j < k; j++)); do
        inputs+="${inputs:+,}{\"depType\":\"MATERIALIZE\",\"partitionRef\":{\"str\":\"layer=$((layer - 1))/part=$(((part + j * stride) % width))\"}}"
      done
    fi
    ((first)) || printf ','
    first=0
    printf '{"outputs":[{"str":"%s"}],"inputs":[%s]}' "$ref" "$inputs"
  done
  printf ']}\n'
}

write() {
  local path=$1
  [[ -d ${path%/*} ]] || mkdir -p "${path%/*}"
  if ((sleep_ms > 0)); then sleep "$((sleep_ms / 1000)).$(printf '%03d' $((sleep_ms % 1000)))"; fi
  printf '%s\n' "${path#data/}" >"$path"
}

case $verb in
  configure) configure "$@" ;;
  exec) write "data/$DATABUILD_OUTPUTS" ;;
  write) write "$1" ;;
  *) echo "unknown verb '$verb'" >&2; exit 2 ;;
esac
