#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on a free local port, run as a non-root user.
#
#   eval "$(scripts/postgres.sh start)"   # installs PostgreSQL from Debian's packages if missing, starts a
#                                         # fresh cluster, prints `export DATABUILD_TEST_POSTGRES=...`
#   scripts/postgres.sh restart           # stops it and starts it again on the same port, data kept
#                                         # (the tests use it to check clients ride out a restart);
#                                         # a server that was killed (kill -9) is started again
#   scripts/postgres.sh stop              # stops it and deletes its data
#
# The tests' server runs with fsync=off: their data is thrown away, and it makes them faster. Set
# DATABUILD_PG_FSYNC=on at `start` for a server that syncs its commits as a production one does (the
# benchmarks do); `restart` keeps the setting.
#
# The connection string goes to DATABUILD_TEST_POSTGRES, which the PostgreSQL tests read. The cluster's
# folder and port are kept in $STATE so `stop` finds them; nothing outside that folder is touched.
set -euo pipefail

STATE="${DATABUILD_PG_STATE:-${TMPDIR:-/tmp}/databuild-test-postgres.state}"
PG_USER_NAME=databuild

log() { echo "postgres.sh: $*" >&2; }

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

install_if_missing() {
  if [ -n "$(pg_bin)" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    log "PostgreSQL is not installed and this user cannot install it: run 'sudo apt-get install -y postgresql'"
    exit 1
  fi
  log "installing PostgreSQL from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
}

# PostgreSQL refuses to run as root; as root, run it as the 'postgres' user the package created.
as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local bin dir port fsync=${DATABUILD_PG_FSYNC:-off}
  case "$fsync" in on|off) ;; *) log "DATABUILD_PG_FSYNC must be 'on' or 'off', not '$fsync'"; exit 2 ;; esac
  install_if_missing
  bin=$(pg_bin)
  if [ -f "$STATE" ]; then stop_quietly; fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/databuild-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_server_user "$bin/initdb" -D "$dir/data" -U "$PG_USER_NAME" --auth=trust -E UTF8 --no-instructions >"$dir/initdb.log" 2>&1 \
    || { log "initdb failed:"; cat "$dir/initdb.log" >&2; exit 1; }
  port=$(free_port)
  printf '%s\n%s\n%s\n%s\n' "$dir" "$port" "$bin" "$fsync" >"$STATE"
  start_server "$dir" "$port" "$bin" "$fsync"
  log "PostgreSQL running on 127.0.0.1:$port (data in $dir, fsync=$fsync)"
  echo "export DATABUILD_TEST_POSTGRES='Host=127.0.0.1;Port=$port;Username=$PG_USER_NAME;Database=postgres'"
}

start_server() {
  local dir=$1 port=$2 bin=$3 fsync=$4
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=200" start >&2 \
    || { log "the server did not start:"; cat "$dir/server.log" >&2; exit 1; }
}

# True while the cluster's postmaster runs. A killed one leaves its postmaster.pid behind, naming a process
# that is gone, a zombie nobody reaped yet (pg_ctl takes that for a live server), or, its pid reused, some
# other program; pg_ctl stop then fails or waits in vain.
server_alive() {
  local pid_file=$1/data/postmaster.pid pid state
  [ -f "$pid_file" ] || return 1
  pid=$(head -n 1 "$pid_file")
  [[ "$pid" =~ ^[0-9]+$ ]] && [ -r "/proc/$pid/stat" ] || return 1
  state=$(sed 's/^.*) //' "/proc/$pid/stat" | cut -d ' ' -f 1)
  [ "$state" != Z ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]
}

restart() {
  [ -f "$STATE" ] || { log "no server was started with '$0 start' (no $STATE)"; exit 1; }
  local dir port bin fsync
  dir=$(sed -n 1p "$STATE")
  port=$(sed -n 2p "$STATE")
  bin=$(sed -n 3p "$STATE")
  fsync=$(sed -n 4p "$STATE")
  if server_alive "$dir"; then
    # Fast shutdown: sessions are cut off mid-transaction, as in a real failover or crash-restart.
    as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
  else
    # Killed: its lock files are stale. The server recovers from its WAL at start, as after a crash.
    log "the server on port $port was not running (killed?): starting it again"
    rm -f "$dir/data/postmaster.pid" "$dir/.s.PGSQL.$port.lock" "$dir/.s.PGSQL.$port"
  fi
  start_server "$dir" "$port" "$bin" "${fsync:-off}"
  log "PostgreSQL restarted on 127.0.0.1:$port"
}

stop_quietly() {
  [ -f "$STATE" ] || return 0
  local dir bin
  dir=$(sed -n 1p "$STATE")
  bin=$(sed -n 3p "$STATE")
  if server_alive "$dir"; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir" "$STATE"
}

case "${1:-}" in
  start) start ;;
  restart) restart ;;
  stop) stop_quietly; log "stopped" ;;
  *) echo "usage: $0 start|restart|stop" >&2; exit 2 ;;
esac
