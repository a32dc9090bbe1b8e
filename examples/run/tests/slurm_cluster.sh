# A real one-node Slurm (slurmctld + slurmd + munge, Debian's slurm-wlm), started here in a temporary folder
# on ports of its own: `parmap-run --sbatch jobs.txt | sbatch`, then the dSQ status file is checked.
# Skipped with a message where the daemons are missing or cannot start (not root, no munge, a container
# that refuses them).
. "$(dirname "$0")/lib.sh"
skip() { echo "skipped: $*"; exit 0; }
for daemon in munged slurmctld slurmd; do [ -x "/usr/sbin/$daemon" ] || skip "/usr/sbin/$daemon not found (Debian: slurm-wlm munge)"; done
[ "$(id -u)" -eq 0 ] || skip "the test starts slurmd, which needs root"
host=$(hostname -s)
port=$((20000 + $$ % 20000))
mkdir -p state spool munge
dd if=/dev/urandom of=munge/key bs=1024 count=1 2>/dev/null && chmod 700 munge && chmod 600 munge/key
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; sleep 0.5; rm -rf "$work"' EXIT
/usr/sbin/munged -f --key-file=munge/key --socket="$work/munge/socket" --pid-file="$work/munge/pid" \
    --log-file="$work/munge/log" --seed-file="$work/munge/seed" 2>/dev/null || skip "munged does not start"
pids="$(cat munge/pid)"
cat > slurm.conf <<CONF
ClusterName=parmaptest
SlurmctldHost=$host
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$work/munge/socket
CredType=cred/munge
SlurmUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
ReturnToService=2
MaxArraySize=1001
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
/usr/sbin/slurmctld -c -f "$SLURM_CONF" 2>/dev/null || skip "slurmctld does not start"
sleep 0.5; pids="$pids $(cat slurmctld.pid 2>/dev/null)"
/usr/sbin/slurmd -f "$SLURM_CONF" 2>/dev/null || skip "slurmd does not start"
sleep 0.5; pids="$pids $(cat slurmd.pid 2>/dev/null)"
for i in $(seq 60); do sinfo -h -o %t 2>/dev/null | grep -qE '^idle' && break; sleep 0.5; done
sinfo -h -o %t 2>/dev/null | grep -qE '^idle' || skip "the Slurm node did not come up: $(tail -n 3 slurmctld.log slurmd.log 2>/dev/null)"

printf 'echo zero\n# a comment\necho two\nexit 3\n' > jobs.txt
"$RUN" --sbatch -j2 --sbatch-options "--time=5" jobs.txt > array.sh || fail "--sbatch"
job=$(sbatch --parsable array.sh) || fail "sbatch refused the script: $(cat array.sh)"
for i in $(seq 120); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.5; done
status=job_${job}_status.tsv
[ -f "$status" ] || fail "no $status: $(ls; tail -n 5 slurmctld.log slurmd.log)"
[ "$(wc -l < "$status")" -eq 3 ] || fail "expected 3 rows: $(cat "$status")"
[ "$(awk -F'\t' '$1 == 3 { print $2 }' "$status")" = 3 ] || fail "task 3's exit code: $(cat "$status")"
[ "$(cat parmap-run-${job}_2.out)" = two ] || fail "task 2's output: $(cat parmap-run-${job}_2.out)"
echo ok
