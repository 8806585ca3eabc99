#!/bin/bash
# A one-node SLURM cluster on loopback, started here, running Scripts/slurm/exafs-array.sbatch
# (the script Docs/batch.md shows) over a folder of scans, then stopped. Used by
# Tests/exafsTests/SlurmTests.swift.
#
#   run-array-job.sh EXAFS INPUT_FOLDER OUTPUT_FOLDER SHARDS WORKDIR
#
# Writes WORKDIR/etc/slurm.conf, a munge key, starts munged, slurmctld -D and slurmd -D as children
# (sockets, pid files, state and logs all under WORKDIR), waits for the node to be idle, submits
# the array job with sbatch, waits for every task, and stops every daemon on exit, whatever happened.
# Exit status: 0 the array job finished, every task with status 0 (OUTPUT_FOLDER/shard-K for each
# K); 77 SLURM cannot run here (the reason on standard output, starting "skip:"); other: failure
# (the logs are printed). Timings go to WORKDIR/times.txt (seconds: start, job).
set -u
exafs=$1 input=$2 output=$3 shards=$4 work=$5
here=$(cd "$(dirname "$0")" && pwd)
script="$here/../../Scripts/slurm/exafs-array.sbatch"
skip() { echo "skip: $*"; exit 77; }
for tool in munged slurmctld slurmd sbatch sinfo squeue scontrol; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (apt-get install slurm-wlm munge; make deps-test installs them)"
done
[ "$(id -u)" = 0 ] || skip "the test starts slurmd, which must run as root (it is not)"
mkdir -p "$work"/{etc,state,spool,log,munge} || exit 1
chmod 755 "$work/munge"
pids=()
stop() {
  # scancel what is left, TERM every daemon we started (KILL after 10 s), then KILL whatever still
  # carries our SLURM_CONF (a job step's slurmstepd outlives slurmd when everything got TERM at once).
  [ -f "$work/etc/slurm.conf" ] && SLURM_CONF="$work/etc/slurm.conf" timeout 5 scancel --quiet -u root >/dev/null 2>&1
  unset SLURM_CONF  # from here on, no child of ours carries it
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for _ in $(seq 100); do
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for e in /proc/[0-9]*/environ; do
    grep -qzx "SLURM_CONF=$work/etc/slurm.conf" "$e" 2>/dev/null || continue
    p=${e#/proc/}
    kill -KILL "${p%/environ}" 2>/dev/null
  done
  wait 2>/dev/null
}
trap stop EXIT
trap 'exit 143' TERM INT

logs() { for f in "$work"/log/*; do echo "== $f"; tail -n 40 "$f"; done; }
now() { date +%s.%N; }
t0=$(now)

# munge: our own key, socket, pid, seed and log files.
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none && chmod 400 "$work/munge/munge.key"
sock="$work/munge/munge.socket"
munged -F --force --key-file="$work/munge/munge.key" --socket="$sock" --pid-file="$work/munge/munged.pid" \
  --seed-file="$work/munge/munged.seed" --log-file="$work/log/munged.log" >>"$work/log/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { logs; skip "munged did not start (no socket after 10 s; log above)"; }

# Two free TCP ports on loopback for slurmctld and slurmd.
read -r cport dport < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
cpus=$(slurmd -C 2>/dev/null | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' | head -n 1)
cpus=${cpus:-2}
cat >"$work/etc/slurm.conf" <<EOF
ClusterName=exafstest
SlurmctldHost=localhost
SlurmctldPort=$cport
SlurmdPort=$dport
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/builtin
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$work/etc/slurm.conf"
slurmctld -D -f "$SLURM_CONF" >>"$work/log/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N localhost -f "$SLURM_CONF" >>"$work/log/slurmd.out" 2>&1 &
pids+=($!)
state=
for _ in $(seq 300); do
  state=$(timeout 5 sinfo -h -n localhost -o %T 2>/dev/null | head -n 1)
  [ "$state" = idle ] && break
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { logs; skip "a SLURM daemon exited at start (pid $p; logs above)"; }; done
  sleep 0.1
done
[ "$state" = idle ] || { logs; skip "the node did not become idle within 30 s (state '${state}'; logs above)"; }
t1=$(now)

# The documented array job: N shards, one CPU each, so that both CPUs run a shard at once.
# (sbatch --wait polls with a growing interval and returned 25 s after the last task ended, so
# the job is polled here with scontrol every 0.2 s, 150 s at most.)
mkdir -p "$output"
job=$(timeout 20 sbatch --parsable --array=1-"$shards" --cpus-per-task=1 --chdir="$work" \
  --output="$work/log/task-%a.log" \
  --export=ALL,EXAFS="$exafs",EXAFS_INPUT="$input",EXAFS_OUTPUT="$output",EXAFS_SHARDS="$shards",EXAFS_HDF5=1 \
  "$script") || { echo "sbatch failed"; logs; exit 1; }
job=${job%%;*}
deadline=$(($(date +%s) + 150))
while :; do
  states=$(timeout 5 scontrol -o show job "$job" 2>/dev/null)
  done_tasks=$(grep -c 'JobState=\(COMPLETED\|FAILED\|CANCELLED\|TIMEOUT\|NODE_FAIL\|OUT_OF_MEMORY\|BOOT_FAIL\|DEADLINE\|PREEMPTED\)' <<<"$states")
  [ "$done_tasks" = "$shards" ] && break
  [ "$(date +%s)" -lt "$deadline" ] || { echo "the array job did not finish within 150 s:"; echo "$states"; logs; exit 1; }
  sleep 0.2
done
t2=$(now)
awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN { printf "%.2f %.2f\n", b - a, c - b }' >"$work/times.txt"
ok=$(grep -c 'JobState=COMPLETED .*ExitCode=0:0' <<<"$states")
if [ "$ok" != "$shards" ]; then
  echo "$((shards - ok)) of $shards array tasks did not complete with exit code 0:"
  echo "$states"
  logs
  exit 1
fi
exit 0
