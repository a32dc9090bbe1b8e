# Grouped output of jobs printing megabytes at once: no mixed line, no lost byte; line mode, -k, --tag, --results.
. "$(dirname "$0")/lib.sh"

# Four jobs, each 150000 lines (3.4 MB, beyond the in-memory cap) on stdout and a little on stderr, all at once.
for i in 0 1 2 3; do
    echo 'yes "job$PARMAP_LINE-0123456789abcdefghij" | head -n 150000; echo "err$PARMAP_LINE" >&2'
done > big.txt
"$RUN" -j4 big.txt > out 2> err || fail "grouped run failed"
[ "$(wc -l < out)" -eq 600000 ] && [ "$(wc -c < out)" -eq $((600000 * 26)) ] || fail "lost bytes: $(wc -lc < out)"
[ "$(uniq out | wc -l)" -eq 4 ] || fail "jobs' output mixed: $(uniq -c out | head)"
[ "$(grep -cvE '^job[0-3]-0123456789abcdefghij$' out)" -eq 0 ] || fail "a line was cut or mixed"
[ "$(sort err | tr '\n' ' ')" = "err0 err1 err2 err3 " ] || fail "stderr: $(cat err)"

"$RUN" -j4 --output line big.txt > out 2>/dev/null || fail "line mode failed"
[ "$(wc -l < out)" -eq 600000 ] && [ "$(grep -cvE '^job[0-3]-0123456789abcdefghij$' out)" -eq 0 ] || fail "line mode mixed a line"

printf 'sleep 0.6; echo a\necho b\nsleep 0.3; echo c\n' > order.txt
[ "$("$RUN" -j3 -k --tag order.txt | tr '\n' ' ')" = "0	a 1	b 2	c " ] || fail "-k --tag: $("$RUN" -j3 -k --tag order.txt)"
[ "$("$RUN" -j3 order.txt | tr '\n' ' ')" = "b c a " ] || fail "grouped order should be the end order"
[ "$("$RUN" -j3 --output ungroup order.txt | sort | tr '\n' ' ')" = "a b c " ] || fail "ungroup"

printf 'echo out; echo err >&2\nprintf partial\n' > res.txt
"$RUN" --results res res.txt > /dev/null 2>&1 || fail "--results run failed"
[ "$(cat res/0.out)" = out ] && [ "$(cat res/0.err)" = err ] && [ "$(cat res/1.out)" = partial ] || fail "--results files"
[ -z "$(ls res | grep partial)" ] || fail "--results left temporary files: $(ls res)"
echo ok
