#!/bin/sh
# same_as.sh PARMAP_TAXI FIRST SECOND OPTION...: parmap-taxi --json OPTION... prints the same object for
# file FIRST as for file SECOND ("seconds" aside): a .csv.gz against its .csv, to the bit.
taxi=$1 first=$2 second=$3
shift 3
a=$("$taxi" --json "$@" "$first" | sed 's/"seconds": [^,]*//') || exit 1
b=$("$taxi" --json "$@" "$second" | sed 's/"seconds": [^,]*//') || exit 1
printf '%.300s\n' "$a"
test "$a" = "$b" && echo "the same answer"
