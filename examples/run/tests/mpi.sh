# Under mpiexec with 1, 2 and 3 ranks: every line runs once, one joblog names the ranks, output arrives in
# whole-job blocks, and --resume works across a different rank count.
# Arguments after the program: the mpiexec command (program, rank flag, its other flags).
. "$(dirname "$0")/lib.sh"
mpiexec=$1 np_flag=$2
shift 2
mpi() { ranks=$1; shift; "$mpiexec" "$np_flag" "$ranks" "$@" "$RUN" "${args[@]}"; }

for i in $(seq 0 29); do echo "sleep 0.02; yes line-$i-from-rank-\$PARMAP_RANK | head -n 2000"; done > jobs.txt
for ranks in 1 2 3; do
    rm -f log
    args=(-j1 --joblog log jobs.txt)
    mpi $ranks "$@" > out || fail "$ranks ranks: status $?"
    [ "$(tail -n +2 log | cut -f1 | sort -n | tr '\n' ' ')" = "$(seq 0 29 | tr '\n' ' ')" ] || fail "$ranks ranks: lines not run once each: $(cut -f1,2 log)"
    [ "$(uniq out | wc -l)" -eq 30 ] && [ "$(wc -l < out)" -eq 60000 ] || fail "$ranks ranks: output not in whole-job blocks"
    [ "$(tail -n +2 log | cut -f2 | sort -u | wc -l)" -le "$ranks" ] || fail "$ranks ranks: rank column"
done

# resume across rank counts: a run of lines 0-9 on 3 ranks, then the rest on 2 ranks with --resume
rm -f log
args=(-j1 --joblog log --lines 0-9 jobs.txt)
mpi 3 "$@" > /dev/null || fail "partial run"
args=(-j1 --joblog log --resume jobs.txt)
mpi 2 "$@" > /dev/null || fail "resumed run"
[ "$(tail -n +2 log | cut -f1 | sort -n | tr '\n' ' ')" = "$(seq 0 29 | tr '\n' ' ')" ] || fail "resume ran a line twice or missed one"

printf 'exit 3\ntrue\nexit 4\n' > fail.txt
args=(-j1 --print-failed failed.txt fail.txt)
mpi 2 "$@" > /dev/null 2>&1; s=$?
[ $s -eq 2 ] || fail "exit status under MPI: $s"
[ "$(cat failed.txt)" = "exit 3
exit 4" ] || fail "--print-failed under MPI: $(cat failed.txt)"
# --halt counts every rank's failures: after line 0 fails, no rank starts many more lines.
( echo 'exit 3'; for i in $(seq 40); do echo 'sleep 0.05'; done ) > halt.txt
rm -f log
args=(-j1 --halt soon,fail=1 --joblog log halt.txt)
mpi 2 "$@" > /dev/null 2>&1; s=$?
[ $s -eq 3 ] || fail "--halt under MPI: status $s"
[ "$(tail -n +2 log | wc -l)" -lt 10 ] || fail "--halt under MPI: $(tail -n +2 log | wc -l) lines ran"
echo ok
