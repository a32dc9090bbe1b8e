# Under mpiexec with 2 ranks, the ranks stop together: --halt counts the failures of every rank and stops
# every rank's jobs; a stop signal that reaches one rank stops every rank, and all exit 128 + the signal (so
# the launcher reports it); a signal to the launcher itself stops and logs every job (its status is the
# launcher's own). The jobs wait on each other through files, so which rank runs which line does not matter.
# Arguments after the program: the mpiexec command (program, rank flag, its other flags).
. "$(dirname "$0")/lib.sh"
mpiexec=$1 np_flag=$2
shift 2
mpi_flags=("$@")
set -m  # background commands keep SIGINT
launcher=
trap 'if [ -n "$launcher" ]; then kill -KILL -- -$launcher 2>/dev/null; fi; rm -rf "$work"' EXIT
mpi2() { exec "$mpiexec" "$np_flag" 2 "${mpi_flags[@]}" "$RUN" -j1 --joblog log --grace 5s "$@" "$file"; }
wait_for() { for i in $(seq 400); do [ -e "$1" ] && return 0; sleep 0.05; done; fail "$2"; }
signal_of() { joblog_column log 9 "$1"; }

# --halt now,fail=2 with one failure on each rank: line 0 fails once line 1 runs (on the other rank), line 1
# fails once line 2 runs on line 0's rank; that second failure is the rule's, so line 2 is stopped (TERM)
# and the status is the failed job's. Judged per rank, neither rank would reach 2 and line 2 would run 30 s.
cat > halt.txt << 'EOF'
until [ -e s1 ]; do sleep 0.05; done; exit 4
touch s1; until [ -e s2 ]; do sleep 0.05; done; exit 4
touch s2; exec sleep 30
EOF
file=halt.txt
(mpi2 --halt now,fail=2 > /dev/null 2>&1); s=$?
[ $s -eq 4 ] || fail "--halt now across ranks: status $s, expected 4: $(cat log)"
[ "$(tail -n +2 log | cut -f2 | sort -u | wc -l)" -eq 2 ] || fail "--halt now: the failures were not on two ranks: $(cat log)"
[ "$(signal_of 2)" = 15 ] || fail "--halt now: line 2 on the other rank was not stopped: $(cat log)"

# SIGINT to one rank only (as a scheduler's signal to one task): both ranks stop their jobs, exit 130, and
# the launcher reports 130. Each job writes its own pid, then its rank process's.
printf 'echo $$ > job.$PARMAP_RANK; echo $PPID > rank.$PARMAP_RANK; exec sleep 30\n%.0s' 1 2 > sleep.txt
file=sleep.txt
rm -f log
(mpi2 > /dev/null 2>&1) &
launcher=$!
wait_for rank.0 "rank 0's job did not start"
wait_for rank.1 "rank 1's job did not start"
kill -INT "$(cat rank.1)"
wait $launcher; s=$?
[ $s -eq 130 ] || fail "SIGINT to rank 1: status $s, expected 130"
[ "$(signal_of 0)" = 2 ] && [ "$(signal_of 1)" = 2 ] || fail "SIGINT to rank 1: not every job stopped by it: $(cat log)"

# A terminal's Ctrl-C: SIGINT to the launcher's process group. Every job is stopped and logged with a signal
# and none is left; the status is the launcher's (Open MPI's mpirun sends the ranks SIGTERM and exits 1).
rm -f log rank.* job.*
(mpi2 > /dev/null 2>&1) &
launcher=$!
wait_for rank.0 "rank 0's job did not start"
wait_for rank.1 "rank 1's job did not start"
kill -INT -- -$launcher
wait $launcher; s=$?
[ $s -ne 0 ] || fail "Ctrl-C to the launcher: status 0"
[ "$(tail -n +2 log | awk -F'\t' '$9 != 0' | wc -l)" -eq 2 ] || fail "Ctrl-C to the launcher: jobs not logged as stopped: $(cat log)"
jobs_left() { kill -0 "$(cat job.0)" 2>/dev/null || kill -0 "$(cat job.1)" 2>/dev/null; }
for i in $(seq 60); do jobs_left || break; sleep 0.05; done
jobs_left && fail "Ctrl-C to the launcher: a job was left"
launcher=
echo ok
