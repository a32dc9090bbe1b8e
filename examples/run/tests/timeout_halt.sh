# --timeout: TERM to the job's group, recorded as timed out; --halt now|soon,fail=N|P%.
. "$(dirname "$0")/lib.sh"

echo 'sleep 30; true' > slow.txt
start=$(date +%s)
expect_status 1 "$RUN" --timeout 300ms --joblog log slow.txt
[ $(($(date +%s) - start)) -lt 10 ] || fail "--timeout did not stop the job in time"
[ "$(joblog_column log 10 0)" = 1 ] && [ "$(joblog_column log 9 0)" = 15 ] || fail "timeout not logged: $(cat log)"

printf 'sleep 0.2; exit 4\nsleep 30; true\necho never\n' > now.txt
start=$(date +%s)
expect_status 4 "$RUN" -j2 --halt now,fail=1 now.txt > out 2>/dev/null
[ $(($(date +%s) - start)) -lt 10 ] || fail "--halt now did not kill the running job"
! grep -q never out || fail "--halt now started a new job"

printf 'exit 5\nsleep 0.5; echo finished\necho never\n' > soon.txt
expect_status 5 "$RUN" -j2 --halt soon,fail=1 soon.txt > out 2>/dev/null
grep -q finished out || fail "--halt soon did not let the running job finish"
! grep -q never out || fail "--halt soon started a new job"

printf 'true\nfalse\nfalse\nfalse\ntrue\ntrue\n' > percent.txt
expect_status 1 "$RUN" -j1 --halt now,fail=50% percent.txt 2>/dev/null
echo ok
