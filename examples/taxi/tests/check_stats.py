#!/usr/bin/env python3
"""An independent reading of taxi CSV files (plain or .gz), compared with parmap-taxi --json's answer.

    check_stats.py PARMAP_TAXI [OPTION...] -- FILE...

Runs `PARMAP_TAXI --json OPTION... FILE...`, then reads the files again here, line by line with Python's own number
parsing, and checks rows read, used and skipped, both histograms and the mean tip percentage (to 1e-12
relative: the order of the sum differs). Where numpy is present the histograms are numpy.histogram's and the
edges must be numpy's (to 1 ulp: numpy's vectorised power is not always correctly rounded); otherwise numpy's rule is applied by hand.
"""
import bisect
import gzip
import json
import math
import re
import subprocess
import sys

NEEDED = {"yellow": ("fare_amount", "tip_amount", "trip_distance"),
          "rideshare": ("base_passenger_fare", "tips", "trip_miles")}
NUMBER = re.compile(rb"-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def number(field):
    if not NUMBER.fullmatch(field):
        return None
    value = float(field)
    return value if math.isfinite(value) else None


def read(path, services):
    data = (gzip.open if path.endswith(".gz") else open)(path, "rb").read()
    lines = data.split(b"\n")
    names = lines[0].rstrip(b"\r").decode().split(",")
    kind = next(k for k, cols in NEEDED.items() if all(c in names for c in cols))
    at = [names.index(c) for c in NEEDED[kind]]
    s = services.setdefault(kind, {"read": 0, "used": 0, "skipped": 0, "ratios": [], "miles": []})
    for line in lines[1:]:
        line = line[:-1] if line.endswith(b"\r") else line
        if not line:
            continue
        s["read"] += 1
        fields = line.split(b",")
        values = [number(fields[i]) for i in at] if len(fields) == len(names) else [None]
        if None in values:
            s["skipped"] += 1
        elif values[0] > 0:
            s["used"] += 1
            s["ratios"].append(values[1] / values[0])
            s["miles"].append(values[2])


def histogram_by_hand(values, edges):
    counts = [0] * (len(edges) - 1)
    for v in values:
        if edges[0] <= v <= edges[-1]:
            counts[min(bisect.bisect_right(edges, v) - 1, len(counts) - 1)] += 1
    return edges, counts


def histograms(s):
    try:
        import numpy as np
    except ImportError:
        step = (2.0 - 0.01) / 200
        tip = [i * step + 0.01 for i in range(200)] + [2.0]
        step = 3.0 / 49
        miles = [10 ** (i * step - 1.0) for i in range(49)] + [100.0]
        return histogram_by_hand(s["ratios"], tip), histogram_by_hand(s["miles"], miles), False
    t_counts, t_edges = np.histogram(s["ratios"], bins=200, range=(0.01, 2))
    d_counts, d_edges = np.histogram(s["miles"], bins=10 ** np.linspace(-1, 2, 50))
    return (list(t_edges), list(t_counts)), (list(d_edges), list(d_counts)), True


def compare(kind, s, got):
    problems = []
    for key, mine in (("rows_read", s["read"]), ("rows_used", s["used"]), ("rows_skipped", s["skipped"])):
        if got[key] != mine:
            problems.append(f"{kind} {key}: parmap-taxi {got[key]}, here {mine}")
    mean = 100 * math.fsum(s["ratios"]) / len(s["ratios"]) if s["ratios"] else None
    if (mean is None) != (got["mean_tip_percent"] is None) or (mean is not None and not math.isclose(mean, got["mean_tip_percent"], rel_tol=1e-12)):
        problems.append(f"{kind} mean_tip_percent: parmap-taxi {got['mean_tip_percent']}, here {mean}")
    tip, miles, exact_edges = histograms(s)
    for name, (edges, counts) in (("tip_ratio_hist", tip), ("distance_hist", miles)):
        if [int(c) for c in counts] != got[name]["counts"]:
            problems.append(f"{kind} {name} counts differ")
        # numpy's power on AVX-512 machines (SVML) may be 1 ulp off the correctly rounded 10 ** x parmap-taxi uses.
        if exact_edges and not all(math.isclose(e, g, rel_tol=4e-16) for e, g in zip(edges, got[name]["edges"])):
            problems.append(f"{kind} {name} edges differ from numpy's")
    return problems, exact_edges


def main():
    split = sys.argv.index("--")
    program, options, files = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    run = subprocess.run([program, "--json", *options, *files], check=True, capture_output=True)
    got = json.loads(run.stdout)["services"]
    services = {}
    for path in files:
        read(path, services)
    problems, numpy_used = [], False
    if sorted(services) != sorted(got):
        problems.append(f"services: parmap-taxi {sorted(got)}, here {sorted(services)}")
    for kind in services.keys() & got.keys():
        found, numpy_used = compare(kind, services[kind], got[kind])
        problems += found
    for p in problems:
        print(p)
    if not problems:
        print("parmap-taxi agrees with an independent reading" + (" and numpy.histogram" if numpy_used else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
