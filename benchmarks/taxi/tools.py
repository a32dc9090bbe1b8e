#!/usr/bin/env python3
"""The tutorial's own tools on parmap-taxi's question, for benchmarks/taxi_compare.sh.

    tools.py pandas-chunks FILE     pandas.read_csv(usecols=..., chunksize=1e6), chunk by chunk
    tools.py pandas FILE            pandas.read_csv(usecols=...) of the whole file at once
    tools.py dask FILE WORKERS      dask.dataframe.read_csv on dask's local scheduler with WORKERS processes

Each prints one JSON object: rows_used, mean_tip_percent and both histograms' counts, by parmap-taxi's
definitions (fare > 0; tip / fare in 200 bins on [0.01, 2]; distance edges 10 ** linspace(-1, 2, 50)), so
the script can check that they agree. The service is found from the header, as parmap-taxi does.
"""
import json
import sys

import numpy as np
import pandas as pd

COLUMNS = {"yellow": ("fare_amount", "tip_amount", "trip_distance"),
           "rideshare": ("base_passenger_fare", "tips", "trip_miles")}
DISTANCE_EDGES = 10 ** np.linspace(-1, 2, 50)


def columns_of(path):
    header = pd.read_csv(path, nrows=0).columns
    return next(cols for cols in COLUMNS.values() if all(c in header for c in cols))


class Totals:
    def __init__(self):
        self.used, self.ratio_sum = 0, 0.0
        self.tips, self.miles = np.zeros(200, np.int64), np.zeros(49, np.int64)

    def add(self, frame, fare, tip, miles):
        frame = frame.apply(pd.to_numeric, errors="coerce").dropna()
        frame = frame[frame[fare] > 0]
        ratio = (frame[tip] / frame[fare]).to_numpy()
        self.used += len(ratio)
        self.ratio_sum += ratio.sum()
        self.tips += np.histogram(ratio, bins=200, range=(0.01, 2))[0]
        self.miles += np.histogram(frame[miles].to_numpy(), bins=DISTANCE_EDGES)[0]

    def dump(self):
        print(json.dumps({"rows_used": int(self.used), "mean_tip_percent": 100 * self.ratio_sum / self.used,
                          "tip_counts": self.tips.tolist(), "distance_counts": self.miles.tolist()}))


def pandas_run(path, chunked):
    cols = columns_of(path)
    totals = Totals()
    if chunked:
        for chunk in pd.read_csv(path, usecols=list(cols), chunksize=1_000_000):
            totals.add(chunk, *cols)
    else:
        totals.add(pd.read_csv(path, usecols=list(cols)), *cols)
    totals.dump()


def dask_run(path, workers):
    import dask
    import dask.array as da
    import dask.dataframe as dd

    fare, tip, miles = columns_of(path)
    frame = dd.read_csv(path, usecols=[fare, tip, miles], blocksize=64 * 2**20)
    frame = frame.map_partitions(lambda p: p.apply(pd.to_numeric, errors="coerce").dropna())
    frame = frame[frame[fare] > 0]
    ratio = (frame[tip] / frame[fare]).to_dask_array(lengths=True)
    distance = frame[miles].to_dask_array(lengths=True)
    tips, _ = da.histogram(ratio, bins=200, range=(0.01, 2))
    dist, _ = da.histogram(distance, bins=DISTANCE_EDGES)
    # dask's local multiprocessing scheduler: WORKERS processes, pandas' parsing holds the GIL.
    with dask.config.set(scheduler="processes", num_workers=workers):
        used, total, tips, dist = da.compute(ratio.shape[0], ratio.sum(), tips, dist)
    print(json.dumps({"rows_used": int(used), "mean_tip_percent": 100 * float(total) / used,
                      "tip_counts": tips.tolist(), "distance_counts": dist.tolist()}))


if __name__ == "__main__":
    tool, path = sys.argv[1], sys.argv[2]
    if tool == "dask":
        dask_run(path, int(sys.argv[3]))
    else:
        pandas_run(path, tool == "pandas-chunks")
