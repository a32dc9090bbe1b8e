#!/usr/bin/env bash
# parmap-run against the floor and its rivals, side by side in interleaved rounds (each round runs every
# command once, in a rotated order, so load that comes and goes is shared out). Prints a Markdown table of
# medians, ratios to the floor and jobs per second, then the peak RSS with 1e5 lines queued. Under MPI a
# third table, 2000 x `sleep 0.01` (floor, local -j2, 2 ranks x -j1; STEADY_ROUNDS rounds, default 3), shows
# the ratio once mpirun's fixed start no longer dominates.
#   benchmarks/run_compare.sh [BUILD_DIR] [ROUNDS]        (default: build 5)
# Needs: parmap-run and parmap-spawn-floor built (cmake --build BUILD_DIR --target parmap-run parmap-spawn-floor);
# xargs; GNU parallel (Debian: parallel), rust-parallel (on PATH or RUST_PARALLEL=path) and mpirun with
# parmap-run-mpi where present, skipped otherwise.
set -eu
build=${1:-build}
rounds=${2:-5}
run=$build/examples/run/parmap-run
floor=$build/examples/run/parmap-spawn-floor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 2000); do echo true; done > "$tmp/true.txt"
for i in $(seq 200); do echo 'sleep 0.01'; done > "$tmp/sleep.txt"

# The commands per workload: "name|command" with FILE, N and CMD replaced.
commands=(
    "floor: posix_spawn, 2 at a time|$floor 2 N 'CMD'"
    "parmap-run -j2|$run -j2 FILE"
    "parmap-run -j2 --joblog|rm -f $tmp/log; $run -j2 --joblog $tmp/log FILE"
    "floor with output captured: 2 pipes per job|$floor --capture 2 N 'CMD'"
    "xargs -P2|xargs -P2 -I{} sh -c {} < FILE"
)
# GNU parallel as a user runs it (lines through their login shell, \$SHELL), and through /bin/sh as the others run them.
command -v parallel > /dev/null && commands+=("GNU parallel -j2 (\$SHELL=${SHELL:-unset})|parallel -j2 < FILE"
                                             "GNU parallel -j2, PARALLEL_SHELL=/bin/sh|PARALLEL_SHELL=/bin/sh parallel -j2 < FILE")
rust_parallel=${RUST_PARALLEL:-$(command -v rust-parallel || true)}
[ -n "$rust_parallel" ] && commands+=("rust-parallel -j2 -s|$rust_parallel -j2 -s --shell-path /bin/sh -i FILE")
mpi_commands=()
if [ -x "$build/examples/run/parmap-run-mpi" ] && command -v mpirun > /dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
    mpi_commands+=("parmap-run, mpirun -n 2 x -j1|mpirun MPIFLAGS -n 2 $run -j1 FILE")
    if mpirun --version 2>&1 | grep -q "Open MPI"; then  # its default start probes every network (UCX...)
        mpi_commands[0]=${mpi_commands[0]//MPIFLAGS/--oversubscribe}
        mpi_commands+=("parmap-run, mpirun --mca pml ob1 -n 2 x -j1|mpirun --oversubscribe --mca pml ob1 -n 2 $run -j1 FILE")
    fi
    mpi_commands[0]=${mpi_commands[0]//MPIFLAGS/}
    commands+=("${mpi_commands[@]}")
fi

seconds() {  # seconds COMMAND: wall time of COMMAND
    local start=$EPOCHREALTIME
    sh -c "$1" > /dev/null 2>&1 || echo "warning: failed: $1" >&2
    echo "$EPOCHREALTIME - $start" | bc -l
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {  # measure FILE N CMD: one table
    local file=$1 n=$2 cmd=$3 count=${#commands[@]}
    for round in $(seq "$rounds"); do
        for k in $(seq 0 $((count - 1))); do
            local i=$(((k + round) % count))
            local line=${commands[$i]#*|}
            line=${line//FILE/$file}; line=${line//CMD/$cmd}; line=${line// N / $n }
            seconds "$line" >> "$tmp/times.$i"
        done
    done
    local base
    base=$(median < "$tmp/times.0")
    echo "| $n x \`$cmd\` | seconds (median of $rounds) | x floor | jobs/s |"
    echo "| --- | ---: | ---: | ---: |"
    for i in $(seq 0 $((count - 1))); do
        local m
        m=$(median < "$tmp/times.$i")
        printf '| %s | %.3f | %.2f | %.0f |\n' "${commands[$i]%%|*}" "$m" "$(echo "$m / $base" | bc -l)" "$(echo "$n / $m" | bc -l)"
        rm -f "$tmp/times.$i"
    done
    echo
}

peak_rss_queued() {  # peak_rss_queued NAME COMMAND: VmHWM after 2 s of running a 1e5-line file, in KiB
    sh -c "exec $2" > /dev/null 2>&1 &
    local pid=$!
    sleep 2
    local kib
    kib=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo "?")
    kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
    echo "| $1 | $kib |"
}

echo "load before: $(uptime)"
echo
measure "$tmp/true.txt" 2000 true
measure "$tmp/sleep.txt" 200 "sleep 0.01"
if [ ${#mpi_commands[@]} -gt 0 ]; then
    for i in $(seq 2000); do echo 'sleep 0.01'; done > "$tmp/sleep2000.txt"
    commands=("${commands[0]}" "${commands[1]}" "${mpi_commands[@]}")
    rounds=${STEADY_ROUNDS:-3} measure "$tmp/sleep2000.txt" 2000 "sleep 0.01"
fi
for n in 1000 100000 1000000; do
    awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print "sleep 0.01" }' > "$tmp/lines.$n"
done
echo "| peak RSS, jobs of \`sleep 0.01\` with lines queued | KiB |"
echo "| --- | ---: |"
for n in 1000 100000 1000000; do peak_rss_queued "parmap-run -j2, $n lines" "$run -j2 $tmp/lines.$n"; done
peak_rss_queued "xargs -P2, 100000 lines" "xargs -P2 -I{} sh -c {} < $tmp/lines.100000"
command -v parallel > /dev/null && peak_rss_queued "GNU parallel -j2, 100000 lines" "parallel -j2 < $tmp/lines.100000"
echo
echo "load after: $(uptime)"
