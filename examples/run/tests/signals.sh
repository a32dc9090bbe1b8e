# SIGINT, SIGTERM, SIGKILL of the runner with jobs running: no job is left (counted by process group);
# the jobs killed are logged with their signal; the exit status is 128 + the signal.
. "$(dirname "$0")/lib.sh"
set -m  # background commands keep SIGINT (without job control a shell starts them with it ignored)

# Each job writes its process group (the shell's pid) and leaves a child behind the shell.
for i in 1 2 3 4 5 6; do echo 'echo $$ >> groups; sleep 30; true'; done > jobs.txt
runner=
trap 'if [ -n "$runner" ]; then kill -KILL $runner 2>/dev/null; fi; rm -rf "$work"' EXIT

# run_and_signal SIGNAL: starts the runner, waits for three jobs, sends SIGNAL, returns the runner's status.
run_and_signal() {
    rm -f groups log
    "$RUN" -j3 --joblog log --grace 5s jobs.txt 2>/dev/null &
    runner=$!
    for i in $(seq 200); do [ -f groups ] && [ "$(wc -l < groups)" -eq 3 ] && break; sleep 0.05; done
    [ "$(wc -l < groups)" -eq 3 ] || fail "the jobs did not start"
    kill -s "$1" $runner
    wait $runner
}

check_no_job_left() {
    for i in $(seq 60); do
        left=0
        for g in $(cat groups); do group_alive "$g" && left=1; done
        [ $left -eq 0 ] && return 0
        sleep 0.05
    done
    fail "a job outlived the runner ($1): $(ps -eo pid,pgid,args | grep -wF -f groups)"
}

run_and_signal INT; s=$?
[ $s -eq 130 ] || fail "SIGINT: status $s"
check_no_job_left INT
[ "$(awk -F'\t' 'NR > 1 && $9 == 2' log | wc -l)" -eq 3 ] || fail "jobs killed by SIGINT not logged: $(cat log)"

run_and_signal TERM; s=$?
[ $s -eq 143 ] || fail "SIGTERM: status $s"
check_no_job_left TERM

run_and_signal KILL
check_no_job_left KILL

# A job that ignores SIGINT: the first SIGINT leaves it running (KILL would come after the 20 s grace), a
# second one kills it at once.
echo 'trap "" INT; echo $$ >> groups; sleep 30; true' > stubborn.txt
rm -f groups
start=$(date +%s)
"$RUN" --grace 20s stubborn.txt 2>/dev/null &
runner=$!
for i in $(seq 200); do [ -s groups ] && break; sleep 0.05; done
kill -INT $runner; sleep 0.3
kill -0 $runner 2>/dev/null || fail "the job ignoring SIGINT should still be running"
kill -INT $runner
wait $runner; s=$?
[ $s -eq 130 ] && [ $(($(date +%s) - start)) -lt 10 ] || fail "a second SIGINT should kill at once (status $s)"
check_no_job_left second-INT

# SIGHUP as SIGTERM; a SIGINT ignored when the runner started stays ignored.
rm -f groups
(trap '' INT; exec "$RUN" -j3 jobs.txt) 2>/dev/null &
runner=$!
for i in $(seq 200); do [ -f groups ] && [ "$(wc -l < groups)" -eq 3 ] && break; sleep 0.05; done
kill -INT $runner; sleep 0.3
kill -0 $runner 2>/dev/null || fail "an ignored SIGINT stopped the runner"
kill -HUP $runner
wait $runner; s=$?
[ $s -eq 129 ] || fail "SIGHUP: status $s"
check_no_job_left HUP
echo ok
