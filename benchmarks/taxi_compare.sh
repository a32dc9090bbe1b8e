#!/usr/bin/env bash
# parmap-taxi side by side with the tutorial's tools on one generated file from the page cache (issue 17):
#   wc -l                                  the floor: counting lines
#   parmap-taxi --workers 1 and 2          the answer (counts, histograms, mean), best of 3
#   pandas read_csv(usecols, chunksize)    chunk by chunk, as the tutorial's pandas part
#   dask.dataframe.read_csv                dask's local scheduler, 2 worker processes
#   pandas read_csv(usecols) whole         for its peak memory
# Each tool's rows used, histograms and mean are checked against parmap-taxi's. Peak RSS from GNU time.
#
#   benchmarks/taxi_compare.sh [BUILD_DIR] [GIGABYTES]     (defaults: build 2; TAXI_BENCH_DIR: where the file goes)
# Needs python3 with pandas and dask (Debian: python3-pandas python3-dask) and GNU time (Debian: time).
set -euo pipefail
build=${1:-build}
gigabytes=${2:-2}
taxi=$build/examples/taxi/parmap-taxi
tools=$(dirname "$0")/taxi/tools.py
dir=${TAXI_BENCH_DIR:-$(mktemp -d)}
file=$dir/yellow-${gigabytes}GB.csv
python=python3
python3 -c 'import pandas, dask' 2>/dev/null || python=/usr/bin/python3  # Debian's, where its packages are

now() { date +%s.%N; }
# run_timed NAME COMMAND...: runs COMMAND under GNU time, its stdout into $dir/NAME.out; sets seconds, rss_mb.
run_timed() {
    local name=$1 start
    shift
    start=$(now)
    /usr/bin/time -f %M -o "$dir/$name.rss" "$@" >"$dir/$name.out"
    seconds=$(echo "$(now) - $start" | bc -l)
    rss_mb=$(( $(tail -1 "$dir/$name.rss") / 1024 ))
}
row() { printf '| %-44s | %8.2f | %9.0f | %8s | %s |\n' "$1" "$2" "$(echo "$bytes / $2 / 1000000" | bc -l)" "$3" "$4"; }

rows=$(echo "$gigabytes * 1000000000 / 95" | bc)
if [[ ! -f $file ]]; then
    "$taxi" generate --kind yellow --rows "$rows" --seed 2017 -o "$file" --workers 2
fi
bytes=$(stat -c %s "$file")
cat "$file" >/dev/null  # into the page cache
echo "file: $bytes bytes, $rows rows; $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool | seconds | MB/s | peak RSS MB | same answer |"
echo "|---|---:|---:|---:|---|"
run_timed wc wc -l "$file"
row "wc -l" "$seconds" "$rss_mb" "-"
best_s=()  # best seconds of parmap-taxi by worker count
for workers in 1 2; do
    best=""
    for _ in 1 2 3; do
        run_timed "parmap$workers" "$taxi" --json --workers "$workers" "$file"
        if [[ -z $best ]] || (( $(echo "$seconds < $best" | bc -l) )); then best=$seconds; fi
    done
    best_s[workers]=$best
    row "parmap-taxi, $workers worker(s), best of 3" "$best" "$rss_mb" "reference"
done
check() { "$python" - "$dir/parmap2.out" "$dir/$1.out" <<'PY'
import json, math, sys
mine = json.load(open(sys.argv[1]))["services"]["yellow"]
theirs = json.load(open(sys.argv[2]))
same = (mine["rows_used"] == theirs["rows_used"] and mine["tip_ratio_hist"]["counts"] == theirs["tip_counts"]
        and mine["distance_hist"]["counts"] == theirs["distance_counts"]
        and math.isclose(mine["mean_tip_percent"], theirs["mean_tip_percent"], rel_tol=1e-9))
print("yes" if same else "NO")
PY
}
run_timed pandas_chunks "$python" "$tools" pandas-chunks "$file"
row "pandas read_csv(usecols, chunksize=1e6)" "$seconds" "$rss_mb" "$(check pandas_chunks)"
run_timed dask "$python" "$tools" dask "$file" 2
dask_s=$seconds
row "dask.dataframe.read_csv, 2 processes" "$seconds" "$rss_mb" "$(check dask)"
run_timed pandas "$python" "$tools" pandas "$file"
row "pandas read_csv(usecols), whole file" "$seconds" "$rss_mb" "$(check pandas)"
echo
echo "parmap-taxi 2 workers: $(echo "$dask_s / ${best_s[2]}" | bc -l | xargs printf %.1f)x dask's throughput;" \
     "2 workers / 1 worker: $(echo "${best_s[1]} / ${best_s[2]}" | bc -l | xargs printf %.2f)x; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
