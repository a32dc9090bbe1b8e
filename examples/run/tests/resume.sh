# --resume skips what the joblog lists, --resume-failed reruns failures, an edited line reruns with a warning.
. "$(dirname "$0")/lib.sh"

printf 'echo zero\necho one\nexit 2\necho three\n' > jobs.txt
expect_status 1 "$RUN" -j2 --joblog log jobs.txt > /dev/null
"$RUN" --resume --joblog log jobs.txt > out 2> err; s=$?
[ $s -eq 0 ] && [ ! -s out ] && grep -q "0 jobs" err || fail "--resume reran lines: status $s, $(cat out err)"
expect_status 1 "$RUN" --resume-failed --joblog log jobs.txt > out
[ "$(tail -n 1 log | cut -f1)" = 2 ] || fail "--resume-failed did not rerun line 2: $(cat log)"

printf 'echo zero\necho ONE\nexit 0\necho three\n' > jobs.txt  # line 1 edited, line 2 fixed
"$RUN" --resume --joblog log jobs.txt > out 2> err; s=$?
[ $s -eq 0 ] && [ "$(cat out)" = ONE ] || fail "--resume after an edit: $(cat out)"
grep -q "line 1 changed" err || fail "the changed line is not named: $(cat err)"
grep -q "line 2 changed" err || fail "the edited failed line is not named: $(cat err)"
expect_status 0 "$RUN" --resume-failed --joblog log jobs.txt > out 2>/dev/null
[ ! -s out ] || fail "--resume-failed reran lines that succeeded: $(cat out)"

printf 'exit 1\ntrue\necho x; false\n' > f.txt
"$RUN" --print-failed failed.txt f.txt > /dev/null
[ "$(cat failed.txt)" = "exit 1
echo x; false" ] || fail "--print-failed: $(cat failed.txt)"
[ "$("$RUN" --dry-run --tag f.txt)" = "0	exit 1
1	true
2	echo x; false" ] || fail "--dry-run"
[ "$("$RUN" --lines 1-2 --dry-run f.txt | wc -l)" -eq 2 ] || fail "--lines"
echo ok
