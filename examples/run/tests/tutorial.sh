# The tutorial's job file (dSQ's jobfile.txt: `python image_flipper.py ./data/<station>.jpg` per line) on ten
# photos made by parmap-mandelbrot: with parmap-rotate in place of the Python script always, and with a PIL
# image_flipper.py where Python has PIL. Every output exists; the joblog has ten rows of exit status 0.
. "$(dirname "$0")/lib.sh"
rotate=$1 mandelbrot=$2 jobfile=$3

mkdir data
"$mandelbrot" --count 10 --out-dir made --width 96 --height 64 > /dev/null || fail "parmap-mandelbrot"
i=0
for station in $(sed -n 's|^python image_flipper.py ./data/\(.*\)\.jpg\r\{0,1\}$|\1|p' "$jobfile"); do
    mv "made/mandelbrot_$(printf %03d $i).jpg" "data/$station.jpg" || fail "not ten lines in $jobfile"
    i=$((i + 1))
done
[ $i -eq 10 ] || fail "$jobfile: expected ten image lines, found $i"

sed "s|^python image_flipper.py |'$rotate' -q --angle 180 -o rotated |" "$jobfile" > rotate_jobs.txt
"$RUN" -j2 --joblog log rotate_jobs.txt || fail "the parmap-rotate job file failed"
[ "$(ls rotated | wc -l)" -eq 10 ] || fail "expected ten outputs: $(ls rotated)"
[ "$(awk -F'\t' 'NR > 1 && $8 == 0' log | wc -l)" -eq 10 ] || fail "the joblog should have ten rows of exit 0: $(cat log)"

python=
for candidate in $(type -ap python3); do  # the first python3 on PATH that has PIL
    if "$candidate" -c 'import PIL' 2>/dev/null; then python=$candidate; break; fi
done
if [ -n "$python" ]; then
    cat > image_flipper.py <<'PY'
import sys
from pathlib import Path
from PIL import Image
source = Path(sys.argv[1])
Image.open(source).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(source.with_name("flipped_" + source.name))
PY
    sed "s|^python |'$python' |" "$jobfile" > python_jobs.txt
    "$RUN" -j2 --joblog pylog python_jobs.txt || fail "the Python job file failed"
    [ "$(ls data/flipped_* | wc -l)" -eq 10 ] || fail "expected ten flipped photos"
    [ "$(awk -F'\t' 'NR > 1 && $8 == 0' pylog | wc -l)" -eq 10 ] || fail "pylog: $(cat pylog)"
else
    echo "skipped the image_flipper.py run: Python's PIL is not installed (Debian: python3-pil)"
fi
echo ok
