#!/bin/sh
# same_bytes.sh PARMAP_TAXI DIR: `generate` gives the bytes of DIR/yellow-seed13.csv (made with --workers 1)
# on every backend and worker count.
taxi=$1 dir=$2
for how in "--workers 2" "--backend serial" "--backend openmp --workers 3" "--workers 3"; do
    # shellcheck disable=SC2086  # $how is several options
    "$taxi" generate --kind yellow --rows 20000 --seed 13 -o "$dir/again.csv" $how 2>/dev/null || exit 1
    cmp "$dir/yellow-seed13.csv" "$dir/again.csv" || exit 1
done
echo "same bytes"
