#!/bin/sh
# expect_status.sh STATUS STDERR_LINES COMMAND...: runs COMMAND, shows its output, and passes when it exits
# with STATUS having written exactly STDERR_LINES lines on stderr (any number when STDERR_LINES is '-').
want_status=$1 want_lines=$2
shift 2
err_file=$(mktemp) || exit 1
"$@" 2>"$err_file"
status=$?
cat "$err_file"
lines=$(wc -l <"$err_file")
rm -f "$err_file"
echo "exit status $status, $lines line(s) on stderr"
test "$status" -eq "$want_status" && { test "$want_lines" = - || test "$lines" -eq "$want_lines"; }
