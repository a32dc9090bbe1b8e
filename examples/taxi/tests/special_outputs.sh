#!/bin/sh
# Outputs that are not regular files, as every example's writer treats them (issue 14): a symbolic link is
# followed (the link stays a link), a FIFO is written in place, a directory is refused.
#   special_outputs.sh PARMAP_TAXI WORK_DIR [plot]
taxi=$1
d="$2/special"
rm -rf "$d" && mkdir -p "$d" && cd "$d" || exit 1
ln -s target.csv link.csv && "$taxi" generate --kind yellow --rows 10 --seed 1 -o link.csv || exit 1
{ test -L link.csv && test -s target.csv; } || { echo "the link was replaced"; exit 1; }
mkfifo pipe.csv || exit 1
cat pipe.csv > from-pipe.csv &
"$taxi" generate --kind yellow --rows 10 --seed 1 -o pipe.csv || exit 1
wait
{ test -p pipe.csv && cmp -s from-pipe.csv target.csv; } || { echo "the FIFO was replaced or not written"; exit 1; }
mkdir adir
if "$taxi" generate --kind yellow --rows 10 --seed 1 -o adir 2>err; then echo "a directory was written"; exit 1; fi
grep -q "adir: cannot write: output is a directory" err || { cat err; exit 1; }
if [ "$3" = plot ]; then
    ln -s target.png plotlink.png
    "$taxi" "$d/target.csv" --plot plotlink.png >/dev/null || exit 1
    { test -L plotlink.png && test -s target.png; } || { echo "the plot's link was replaced"; exit 1; }
fi
echo "special outputs kept"
