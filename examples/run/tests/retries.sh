# --retries N: N more attempts, each logged, PARMAP_ATTEMPT counting them; the output is the last attempt's.
. "$(dirname "$0")/lib.sh"

echo 'echo "attempt $PARMAP_ATTEMPT"; test "$PARMAP_ATTEMPT" -ge 3' > flaky.txt
expect_status 0 "$RUN" --retries 2 --joblog log flaky.txt > out
[ "$(grep -c . log)" -eq 4 ] || fail "expected a header and 3 rows: $(cat log)"
[ "$(cat out)" = "attempt 3" ] || fail "output should be the last attempt's: $(cat out)"
expect_status 1 "$RUN" --retries 1 flaky.txt > /dev/null
"$RUN" --help | grep -q "GNU parallel's --retries N means N runs in all" || fail "--help does not explain --retries"

# The environment of a job.
echo 'echo "$PARMAP_LINE $PARMAP_SLOT $PARMAP_RANK $PARMAP_ATTEMPT"' > env.txt
[ "$(PARMAP_LINE=x "$RUN" -j1 env.txt)" = "0 1 0 1" ] || fail "job environment: $("$RUN" -j1 env.txt)"
echo 'read x && echo "stdin not empty"; echo done' > stdin.txt
[ "$(echo input | "$RUN" stdin.txt)" = "done" ] || fail "a job's stdin is not /dev/null"
echo ok
