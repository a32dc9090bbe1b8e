#!/bin/sh
# same_answer.sh "BACKENDS" PARMAP_TAXI OPTION... -- FILE...: parmap-taxi --json prints the same object
# (its "seconds" aside) with every backend in BACKENDS and 1, 2 and 3 workers: counts, histograms, mean bits.
backends=$1 taxi=$2
shift 2
for b in $backends; do
    for w in 1 2 3; do
        "$taxi" --json --backend "$b" --workers "$w" "$@" | sed 's/"seconds": [^,]*//' || exit 1
    done
done | sort -u >answers.$$
count=$(wc -l <answers.$$)
head -c 300 answers.$$
rm -f answers.$$
echo
echo "$count different answer(s)"
test "$count" -eq 1
