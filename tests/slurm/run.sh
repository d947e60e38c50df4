#!/usr/bin/env bash
# A real Slurm, on this machine: installs Debian's Slurm and MUNGE packages if they are missing,
# starts munged, slurmctld and slurmd directly (no systemd), submits the script `doormat slurm`
# writes for a 4-task run and for a 3-task sweep, waits for their merge jobs, and compares the
# merged results with one-process runs, byte for byte (`doormat compare`, `cmp`). It stops
# every daemon it started, by pid. Without root or a package registry it says why and skips;
# under CI=true it fails instead.
#
# Usage: bash tests/slurm/run.sh [path/to/doormat]   (default: target/debug/doormat)
set -euo pipefail
cd "$(dirname "$0")/../.."
DOORMAT=$(realpath "${1:-target/debug/doormat}")
[ -x "$DOORMAT" ] || { echo "slurm test: no doormat binary at $DOORMAT (cargo build first)"; exit 2; }

skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "slurm test: FAILED, cannot run under CI: $1"; exit 1
  fi
  echo "slurm test: SKIPPED: $1"; exit 0
}

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
      skip "Slurm is not installed and installing it needs root"; fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  pkgs="slurmctld slurmd slurm-client munge"
  $SUDO apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1 \
    || { $SUDO apt-get update >/dev/null 2>&1 && $SUDO apt-get install -y --no-install-recommends $pkgs >/dev/null 2>&1; } \
    || skip "apt-get could not install $pkgs (no registry?)"
fi
[ "$(id -u)" -eq 0 ] || skip "starting slurmctld and slurmd as configured here needs root"

WORK=$(mktemp -d /tmp/doormat-slurm.XXXXXX)
PIDS=()
stop() {
  # Every daemon started here, by the pid it recorded, and nothing else.
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munged.pid"; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munged.pid"; do
    if [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then kill -9 "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
}
trap stop EXIT
started=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - started) / 100000000 ))" | sed 's/.$/.&/'; }

# MUNGE: a key of our own, a socket and pid file in $WORK.
mkdir -p "$WORK/munge"
dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1 count=1024 status=none
chown munge:munge "$WORK/munge" "$WORK/munge/munge.key" 2>/dev/null || true
chmod 0700 "$WORK/munge"; chmod 0400 "$WORK/munge/munge.key"
SOCKET="$WORK/munge/munge.socket"
munged --force --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$WORK/munged.pid" --log-file="$WORK/munged.log" --seed-file="$WORK/munge/seed"
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
munge -S "$SOCKET" -n | unmunge -S "$SOCKET" >/dev/null || { cat "$WORK/munged.log"; echo "slurm test: munged does not answer"; exit 1; }

# Slurm: one node, this machine, as `slurmd -C` describes it.
NODE=$(slurmd -C | head -1 | sed 's/ UpTime=.*//')
HOST=$(hostname -s)
mkdir -p "$WORK/state" "$WORK/spool"
cat > "$WORK/slurm.conf" <<CONF
ClusterName=doormat-test
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
MailProg=/bin/true
ReturnToService=2
${NODE/NodeName=$HOST/NodeName=$HOST NodeAddr=127.0.0.1} State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break; sleep 0.2
done
sinfo -h -o %t | grep -q idle || { tail "$WORK"/slurm*.log; echo "slurm test: the node never became idle"; exit 1; }
echo "slurm test: Slurm $(sinfo -V | cut -d' ' -f2) up in $(elapsed) s"

# Waits for job $1 to leave the queue; fails if it took longer than $2 seconds.
wait_job() {
  local deadline=$(( $(date +%s) + $2 ))
  while squeue -h -j "$1" 2>/dev/null | grep -q .; do
    [ "$(date +%s)" -lt "$deadline" ] || { squeue; echo "slurm test: job $1 still queued after $2 s"; exit 1; }
    sleep 0.5
  done
}

# A small run: the bundled default over 60 users and a day, 4 tasks, 2 at a time.
python3 -c "
import json, sys
s = json.load(open('scenarios/default.json'))
s['name'], s['population']['users'], s['duration_days'] = 'small', 60, 1.0
json.dump(s, open(sys.argv[1], 'w'), indent=2)
" "$WORK/small.json"
"$DOORMAT" slurm "$WORK/small.json" --tasks 4 --parallel 2 --out "$WORK/cluster"
bash "$WORK/cluster/small-slurm/submit.sh"
wait_job "$(cat "$WORK/cluster/small-slurm/merge.jobid")" 600
ls "$WORK/cluster/small-slurm/logs/" | sort | tr '\n' ' '; echo
[ -f "$WORK/cluster/small/summary.json" ] || { cat "$WORK"/cluster/small-slurm/logs/*.err; echo "slurm test: the merge wrote no summary"; exit 1; }
grep -q '"job": "slurm ' "$WORK/cluster/small/task-3-of-4.json" || { echo "slurm test: a task did not record its Slurm job"; exit 1; }
"$DOORMAT" run "$WORK/small.json" --out "$WORK/local" --quiet
"$DOORMAT" compare "$WORK/local/small" "$WORK/cluster/small"

# A small sweep: two message rates, 3 tasks.
cat > "$WORK/sweep.json" <<JSON
{"name": "small-sweep", "description": "two rates",
 "scenario": "$WORK/small.json",
 "overrides": {"/population/users": 30},
 "parameters": [{"path": "/traffic/messages_per_user_per_day", "values": [20, 40]}],
 "seeds": 2,
 "metrics": [{"path": "/counts/sent"}, {"path": "/exposure/fraction"}]}
JSON
"$DOORMAT" slurm "$WORK/sweep.json" --tasks 3 --out "$WORK/cluster"
bash "$WORK/cluster/small-sweep-slurm/submit.sh"
wait_job "$(cat "$WORK/cluster/small-sweep-slurm/merge.jobid")" 600
"$DOORMAT" sweep "$WORK/sweep.json" --out "$WORK/local" --quiet
for file in sweep.json sweep.csv; do
  cmp "$WORK/local/small-sweep/$file" "$WORK/cluster/small-sweep/$file"
done
echo "slurm test: passed in $(elapsed) s: a 4-task run and a 3-task sweep merged to the one-process bytes"
