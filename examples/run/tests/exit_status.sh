# Exit statuses as GNU parallel: 0, the number of failed lines, 101 for more, 255 for the runner's own failures.
. "$(dirname "$0")/lib.sh"

printf 'true\n\n# a comment\ntrue' > ok.txt
expect_status 0 "$RUN" -j2 ok.txt

printf 'exit 3\ntrue\nfalse\nno-such-command-here\n' > three.txt
expect_status 3 "$RUN" -j2 --joblog log three.txt 2>/dev/null
[ "$(joblog_column log 8 3)" = 127 ] || fail "command not found is not recorded as 127"
[ "$(joblog_column log 8 0)" = 3 ] || fail "exit 3 is not recorded"

for i in $(seq 120); do echo false; done > many.txt
expect_status 101 "$RUN" -j2 many.txt

printf '\n# nothing\n  \n' > empty.txt
"$RUN" empty.txt 2> err; s=$?
[ $s -eq 0 ] && grep -q "0 jobs" err || fail "no runnable line: status $s, $(cat err)"

"$RUN" /no/such/file 2> err; s=$?
[ $s -eq 255 ] && grep -q "/no/such/file: No such file" err || fail "missing file: status $s, $(cat err)"
"$RUN" . 2> err; s=$?
[ $s -eq 255 ] && grep -q "Is a directory" err || fail "directory: status $s, $(cat err)"
"$RUN" --joblog /no/such/dir/log ok.txt 2> err; s=$?
[ $s -eq 255 ] && grep -q "/no/such/dir/log" err || fail "unwritable joblog: status $s, $(cat err)"

# A full disk: the joblog at start (nothing runs), the output during the run (nothing new starts).
if [ -w /dev/full ]; then
    "$RUN" --joblog /dev/full ok.txt 2> err; s=$?
    [ $s -eq 255 ] && grep -q "/dev/full: No space left" err || fail "joblog on a full disk: status $s, $(cat err)"
    printf 'echo one\necho two > started-two\n' > full.txt
    "$RUN" -j1 full.txt > /dev/full 2> err; s=$?
    [ $s -eq 255 ] && grep -q "cannot write job output" err || fail "output to a full disk: status $s, $(cat err)"
    [ ! -e started-two ] || fail "a job started after the output could not be written"
fi

printf 'echo a\necho b\n' | "$RUN" -k - > out || fail "stdin job file"
[ "$(cat out)" = "a
b" ] || fail "stdin output: $(cat out)"
echo ok
