#!/bin/bash
# A one-node Slurm cluster on localhost, for the test that runs `sweep --emit-jobs`'s
# slurm_array.sh under real Slurm (tests/sweep/slurm_sweep_test.sh, run by tools/test.sh).
#
#   tools/slurm/local-cluster.sh start   # prints `export SLURM_CONF=...` for the caller to eval
#   tools/slurm/local-cluster.sh stop
#
# Everything lives in one directory ($SHARDSIM_SLURM_DIR, default /tmp/shardsim-slurm-$UID): a
# fresh munge key and munged on its own socket, slurm.conf with this machine's CPUs, the
# controller's state, slurmd's spool, the daemons' pid files and logs. Nothing of the system's is
# used or changed (no /etc/slurm, no /etc/munge, no service manager), and the ports are not the
# defaults, so a real cluster on the machine is left alone. Run as root (as here and in CI):
# slurmd needs it to start tasks as the submitting user. Packages: slurm-wlm, munge
# (tools/packages.txt). `stop` ends only the daemons whose pids this directory recorded.
set -euo pipefail

DIR=${SHARDSIM_SLURM_DIR:-/tmp/shardsim-slurm-$(id -u)}
CTLD_PORT=${SHARDSIM_SLURM_CTLD_PORT:-16817}
SLURMD_PORT=${SHARDSIM_SLURM_SLURMD_PORT:-16818}
NODE=shardsim-node
START_TIMEOUT_S=30

say() { echo "local-cluster: $*" >&2; }

write_conf() {
  local cpus
  cpus=$(nproc)
  cat > "$DIR/slurm.conf" <<CONF
ClusterName=shardsim-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$DIR/munge.socket
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
# No cgroups (a container may have none to give): processes are tracked by their parent pid.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$cpus State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF
}

start_munge() {
  dd if=/dev/urandom of="$DIR/munge.key" bs=1024 count=1 status=none
  chmod 400 "$DIR/munge.key"
  # --force: munged refuses root and a world-writable /tmp above its files unless told.
  munged --force --socket="$DIR/munge.socket" --key-file="$DIR/munge.key" --pid-file="$DIR/munged.pid" \
    --log-file="$DIR/munged.log" --seed-file="$DIR/munged.seed" 2>> "$DIR/munged.log"
}

wait_for_idle() {
  local deadline=$((SECONDS + START_TIMEOUT_S)) state=""
  while ((SECONDS < deadline)); do
    state=$(SLURM_CONF="$DIR/slurm.conf" sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
    [[ $state == idle* ]] && return 0
    sleep 0.5
  done
  say "the node did not become idle within ${START_TIMEOUT_S}s (state: '${state:-none}'); logs in $DIR"
  tail -n 20 "$DIR/slurmctld.log" "$DIR/slurmd.log" >&2 2>/dev/null || true
  return 1
}

start() {
  if [[ -e $DIR/slurmctld.pid ]]; then stop; fi
  rm -rf "$DIR"
  mkdir -p "$DIR/state" "$DIR/spool"
  chmod 755 "$DIR"
  write_conf
  start_munge
  export SLURM_CONF="$DIR/slurm.conf"
  slurmctld -c  # -c: a fresh controller state (no jobs of an earlier cluster)
  slurmd -N "$NODE"
  wait_for_idle
  echo "export SLURM_CONF=$DIR/slurm.conf"
}

stop_pid_file() {
  local file=$1 pid
  [[ -s $file ]] || return 0
  pid=$(cat "$file")
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

stop() {
  [[ -d $DIR ]] || return 0
  stop_pid_file "$DIR/slurmd.pid"
  stop_pid_file "$DIR/slurmctld.pid"
  stop_pid_file "$DIR/munged.pid"
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
