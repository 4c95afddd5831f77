#!/usr/bin/env bash
# A throwaway one-node Slurm cluster for the tests, on free local ports, without systemd.
#
#   eval "$(scripts/slurm.sh start)"   # installs slurm-wlm and munge from Debian's packages if missing, writes
#                                      # a minimal configuration, starts munged, slurmctld and slurmd as its own
#                                      # processes, waits until the node is idle, prints `export SLURM_CONF=...`
#   scripts/slurm.sh stop              # ends exactly the processes it started and deletes its folder
#
# Everything lives in one folder named in $STATE (munge's key and socket, Slurm's configuration, state, spool
# and logs); nothing else on the machine is touched, so a system Slurm or munge, if any, keeps running.
# The configuration is the smallest that runs batch jobs here: process tracking by parent pid
# (proctrack/linuxproc, no cgroups), no task plugin, consumable cores, no accounting, and no scheduling delay
# after a submission. Slurm's clients (sbatch, squeue, scancel, sinfo) find it through SLURM_CONF.
set -euo pipefail

STATE="${DATABUILD_SLURM_STATE:-${TMPDIR:-/tmp}/databuild-test-slurm.state}"
WAIT_SECONDS=${DATABUILD_SLURM_WAIT:-60}

log() { echo "slurm.sh: $*" >&2; }

install_if_missing() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then
    return
  fi
  if [ "$(id -u)" != 0 ]; then
    log "Slurm is not installed and this user cannot install it: run 'sudo apt-get install -y slurm-wlm munge'"
    exit 1
  fi
  log "installing slurm-wlm and munge from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Starts "$@" in a session of its own, output to $1's log, and records its pid in the folder's pids file.
spawn() {
  local name=$1
  shift
  setsid "$@" >"$DIR/$name.out" 2>&1 </dev/null &
  echo "$! $name" >>"$DIR/pids"
}

write_config() {
  local host=$1 cpus memory
  cpus=$(nproc)
  # Leave the machine some memory: Slurm refuses a node that reports less than its configuration says.
  memory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
  cat >"$DIR/slurm.conf" <<EOF
ClusterName=databuild-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
MinJobAge=300
KillWait=5
InactiveLimit=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
  install_if_missing
  if [ -f "$STATE" ]; then stop_quietly; fi
  DIR=$(mktemp -d "${TMPDIR:-/tmp}/databuild-slurm.XXXXXX")
  echo "$DIR" >"$STATE"
  mkdir -p "$DIR/munge" "$DIR/state" "$DIR/spool"
  chmod 700 "$DIR/munge"
  : >"$DIR/pids"
  local host
  host=$(hostname -s)

  # munged refuses a key readable by others; --force lets it run as root with a socket folder of our own.
  dd if=/dev/urandom of="$DIR/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge/munge.key"
  spawn munged munged --foreground --force --key-file="$DIR/munge/munge.key" --socket="$DIR/munge/munge.socket" \
    --pid-file="$DIR/munge/munged.pid" --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munge.seed"
  wait_for "munge's socket" test -S "$DIR/munge/munge.socket"

  write_config "$host"
  export SLURM_CONF=$DIR/slurm.conf
  spawn slurmctld slurmctld -D -i -f "$SLURM_CONF"
  spawn slurmd slurmd -D -N "$host" -f "$SLURM_CONF"
  wait_for "the node to be idle" node_idle
  log "Slurm running: node $host idle, configuration $SLURM_CONF"
  echo "export SLURM_CONF='$SLURM_CONF'"
}

node_idle() {
  [ "$(sinfo -h -N -o %T 2>/dev/null | head -n 1)" = idle ]
}

wait_for() {
  local what=$1
  shift
  local deadline=$((SECONDS + WAIT_SECONDS))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "gave up waiting for $what after ${WAIT_SECONDS}s; the daemons' logs:"
      tail -n 20 "$DIR"/*.log "$DIR"/*.out "$DIR"/munge/*.log 2>/dev/null >&2 || true
      stop_quietly
      exit 1
    fi
    sleep 0.2
  done
}

# Ends the processes this script started (and what they started in their sessions), then the folder.
stop_quietly() {
  [ -f "$STATE" ] || return 0
  local dir pid name
  dir=$(cat "$STATE")
  if [ -f "$dir/pids" ]; then
    while read -r pid name; do
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && kill -TERM -- "-$pid" 2>/dev/null || true
    done <"$dir/pids"
    for _ in $(seq 50); do
      local alive=0
      while read -r pid name; do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && alive=1
      done <"$dir/pids"
      ((alive)) || break
      sleep 0.1
    done
    while read -r pid name; do
      [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] && kill -KILL -- "-$pid" 2>/dev/null || true
    done <"$dir/pids"
  fi
  rm -rf "$dir" "$STATE"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly; log "stopped" ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
