#!/bin/sh
# plot_valid.sh PARMAP_TAXI OUT.png|OUT.pdf FILE...: --plot writes the tip figure to OUT and the distance
# figure to OUT-distance, each a valid PNG (signature) or PDF (pdfinfo where present, else its header),
# and leaves no temporary file behind.
taxi=$1 out=$2
shift 2
rm -f "$out"
"$taxi" --plot "$out" "$@" >/dev/null || exit 1
for figure in "$out" "${out%.*}-distance.${out##*.}"; do
    case $figure in
        *.png) test "$(head -c 8 "$figure" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a || { echo "$figure: not a PNG"; exit 1; } ;;
        *.pdf) if command -v pdfinfo >/dev/null; then pdfinfo "$figure" | grep -q '^Pages: *1$'; else head -c 5 "$figure" | grep -q '%PDF-'; fi ||
                   { echo "$figure: not a PDF"; exit 1; } ;;
    esac
done
if find "$(dirname "$out")" -name '*parmap-tmp-*' | grep -q .; then echo "a temporary file was left"; exit 1; fi
echo "valid figures"
