# Shared by parmap-run's test scripts: $RUN is the program; each script runs in a fresh temporary folder.
set -u
RUN=$1
shift
work=$(mktemp -d "${TMPDIR:-/tmp}/parmap-run-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# expect_status WANT COMMAND...: runs COMMAND, fails the test unless it exits with WANT.
expect_status() {
    want=$1
    shift
    "$@"
    got=$?
    [ "$got" -eq "$want" ] || fail "exit status $got, expected $want: $*"
}

# joblog_column FILE COLUMN LINE: the value of COLUMN (1-based) in LINE's last row.
joblog_column() {
    awk -F'\t' -v line="$3" -v col="$2" '$1 == line { value = $col } END { print value }' "$1"
}

# group_alive PGID: true while a process of that process group exists.
group_alive() {
    ps -eo pgid= | tr -d ' ' | grep -qx "$1"
}
