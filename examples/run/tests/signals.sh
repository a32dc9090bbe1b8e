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
    for i in $(seq 100); do [ -f groups ] && [ "$(wc -l < groups)" -eq 3 ] && break; sleep 0.05; done
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
echo ok
