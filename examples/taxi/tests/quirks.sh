#!/bin/sh
# quirks.sh FILE: a file made with --quirks has CRLF line ends, a blank line after the header, no final
# newline, non-numeric, negative and empty fields.
f=$1
grep -q "$(printf '\r')" "$f" || { echo "no CR"; exit 1; }
test -z "$(sed -n 2p "$f" | tr -d '\r')" || { echo "line 2 is not blank"; exit 1; }
test "$(tail -c 1 "$f" | wc -l)" -eq 0 || { echo "ends with a newline"; exit 1; }
for field in ',n/a,' ',-[0-9]' ',,'; do
    grep -q -- "$field" "$f" || { echo "no field like $field"; exit 1; }
done
echo "quirks present"
