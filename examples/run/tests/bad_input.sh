# A NUL byte, a 200 KiB line, Windows line ends, a last line without a newline.
. "$(dirname "$0")/lib.sh"

printf 'echo before\necho bad\0line\necho after\n' > nul.txt
"$RUN" -k nul.txt > out 2> err; s=$?
[ $s -eq 1 ] || fail "NUL: status $s"
[ "$(cat out | tr '\n' ' ')" = "before after " ] || fail "NUL: the other lines should run: $(cat out)"
grep -q "line 1 contains a NUL byte" err || fail "NUL: no message: $(cat err)"

long=$(head -c 204800 /dev/zero | tr '\0' x)
printf 'echo %s | wc -c\n' "$long" > long.txt
[ "$("$RUN" long.txt | tr -d ' ')" = 204801 ] || fail "the 200 KiB line did not run whole"

printf 'test "$(echo x)" = x\r\ntrue\r\necho last' > crlf.txt
"$RUN" crlf.txt > out 2> err; s=$?
[ $s -eq 0 ] || fail "\\r lines: status $s"
[ "$(grep -c 'Windows line ends' err)" -eq 1 ] || fail "\\r: warn once: $(cat err)"
[ "$(cat out)" = last ] || fail "the last line without a newline did not run"
echo ok
