# The job file is read as it is consumed: the peak memory with 1e5 lines is the same as with 1e3.
. "$(dirname "$0")/lib.sh"
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time not found (Debian: time)"; exit 0; }

awk 'BEGIN { for (i = 0; i < 100000; i++) printf "echo line %d of a long enough job file to matter\n", i }' > big.txt
head -n 1000 big.txt > small.txt
# --lines picks the last ten lines, so every line is read but only ten run.
peak() { /usr/bin/time -f %M "$RUN" -j2 --lines "$1" "$2" 2>&1 >/dev/null | tail -n 1; }
small=$(peak 990-999 small.txt)
big=$(peak 99990-99999 big.txt)
echo "peak RSS: $small KiB with 1e3 lines, $big KiB with 1e5"
[ "$big" -le $((small + 512)) ] || fail "memory grows with the job file: $small KiB -> $big KiB"
# With a job blocking the only slot, the runner reads no further than it runs.
( echo 'sleep 0.5; exit 1'; cat big.txt ) > halt.txt
big=$(/usr/bin/time -f %M "$RUN" -j1 --halt now,fail=1 halt.txt 2>&1 >/dev/null | tail -n 1)
[ "$big" -le $((small + 512)) ] || fail "memory grows while a job runs: $big KiB"
echo ok
