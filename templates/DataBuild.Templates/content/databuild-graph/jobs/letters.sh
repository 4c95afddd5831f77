#!/usr/bin/env bash
# letters/{word}: the word's letters, one per line. A job answers two verbs: configure and exec.
set -euo pipefail
verb="$1"; shift
case "$verb" in
  configure)
    printf '{"configs":['
    sep=""
    for ref in "$@"; do
      printf '%s{"outputs":[{"str":"%s"}],"inputs":[],"args":["%s"],"env":{}}' "$sep" "$ref" "$ref"
      sep=","
    done
    printf ']}\n' ;;
  exec)
    mkdir -p "$DATA_DIR/letters"
    word="${1#letters/}"
    fold -w1 <<<"$word" > "$DATA_DIR/$1.tmp" && mv "$DATA_DIR/$1.tmp" "$DATA_DIR/$1" ;;
esac
