# parmap-spawn-floor, the floor benchmarks/run_compare.sh measures runners against: every job runs once,
# a failed job makes it exit 1, a bad count 2; with --capture each job's output is read to its end and
# dropped (a job printing more than a pipe holds does not hang it).
. "$(dirname "$0")/lib.sh"
FLOOR=$RUN

expect_status 0 "$FLOOR" 2 5 'echo x >> ran'
[ "$(wc -l < ran)" -eq 5 ] || fail "5 jobs should have run, not $(wc -l < ran)"

noisy='echo x >> ran.capture; head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2'
expect_status 0 "$FLOOR" --capture 2 5 "$noisy" > out 2> err
[ "$(wc -l < ran.capture)" -eq 5 ] || fail "--capture: 5 jobs should have run, not $(wc -l < ran.capture)"
[ ! -s out ] && [ ! -s err ] || fail "--capture: the jobs' output should be read and dropped"

expect_status 1 "$FLOOR" --capture 2 3 'exit 3'
expect_status 1 "$FLOOR" 2 3 'exit 3'
expect_status 0 "$FLOOR" --capture 1 0 true
for bad in "--capture 0 3 true" "2 3" "x 3 true" "--capture 2 -1 true"; do
    # shellcheck disable=SC2086  # the words are the arguments
    expect_status 2 "$FLOOR" $bad 2> /dev/null
done
