#!/usr/bin/env python3
"""Turns parmap-bench's JSON into a Markdown report of ratios and PNG plots.

    python3 benchmarks/report.py RESULTS_DIR

RESULTS_DIR holds what scripts/bench wrote: bench.json (the whole suite, medians of interleaved
repetitions), scaling-<w>.json (a subset run with w workers) and compile_times.json. Writes
RESULTS_DIR/report.md, map_square.png and scaling.png. Every ratio compares two medians of the same
run, never figures from different runs.
"""
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)

UNIT_NS = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


def medians(path):
    """{(workload, implementation, size): median wall time in ns} from a Google Benchmark JSON file."""
    data = json.loads(pathlib.Path(path).read_text())
    result = {}
    for run in data["benchmarks"]:
        if run.get("run_type") == "aggregate" and run.get("aggregate_name") != "median":
            continue
        workload, implementation, size = run["run_name"].split("/")[:3]
        result[(workload, implementation, int(size))] = run["real_time"] * UNIT_NS[run["time_unit"]]
    return data["context"], result


def baseline(times, workload, size, prefix):
    """The fastest implementation whose name starts with `prefix` (omp, or omp_static/dynamic/guided)."""
    candidates = [t for (w, i, s), t in times.items() if w == workload and s == size and i.split("_")[0] == prefix]
    return min(candidates) if candidates else None


def human(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def ratio_table(times):
    lines = ["| workload | size | implementation | median | speed vs OpenMP | speed vs serial |", "|---|---|---|---|---|---|"]
    for (workload, implementation, size), t in sorted(times.items()):
        omp = baseline(times, workload, size, "omp")
        serial = times.get((workload, "serial_loop", size))
        vs_omp = f"{omp / t:.2f}×" if omp else "–"
        vs_serial = f"{serial / t:.2f}×" if serial else "–"
        lines.append(f"| {workload} | {size:g} | {implementation} | {human(t)} | {vs_omp} | {vs_serial} |")
    return lines


def target_lines(times):
    """The issue's targets for the threads and OpenMP backends, each with its measured figure."""
    def get(*key):
        return times.get(key)

    rows = []

    def check(name, value, ok, text):
        if value is not None:
            rows.append(f"| {name} | {text} | {'met' if ok else 'MISSED'} |")

    for backend in ("parmap_threads", "parmap_openmp"):
        split = get("fork_join_trivial", f"{backend}_split", 2)
        omp = get("fork_join_trivial", "omp", 2)
        if split and omp:
            check(f"{backend}: fork-join of 2 split items ≤ omp", split, split <= omp, f"{human(split)} vs {human(omp)}")
        busy = get("fork_join_busy20us", backend, 2)
        serial = get("fork_join_busy20us", "serial_loop", 2)
        if busy and serial:
            overhead = busy - serial / 2
            check(f"{backend}: 2×20 µs overhead ≤ 3 µs", busy, overhead <= 3000, f"+{human(overhead)} over serial/2")
        for size, goal in ((1000, 0.95), (1000000, 1.75)):
            t, s = get("map_square", backend, size), get("map_square", "serial_loop", size)
            if t and s:
                check(f"{backend}: map 1e{len(str(size)) - 1} ≥ {goal}× serial", t, s / t >= goal, f"{s / t:.2f}×")
        for size in (10000000, 100000000):
            t, c = get("map_square", backend, size), get("map_square", "copy_omp", size)
            if t and c:
                check(f"{backend}: map 1e{len(str(size)) - 1} ≥ 97% of copy", t, c / t >= 0.97, f"{100 * c / t:.0f}%")
        dyn = get("mandelbrot_rows", f"{backend}_dynamic", 768)
        rivals = [t for (w, i, s), t in times.items() if w == "mandelbrot_rows" and not i.startswith("parmap") and i != "serial_loop"]
        if dyn and rivals:
            check(f"{backend}: uneven rows, dynamic within 5% of the best rival", dyn, dyn <= 1.05 * min(rivals),
                  f"{human(dyn)} vs {human(min(rivals))}")
        pi = [t for (w, i, s), t in times.items() if w == "pi" and i == backend]
        if pi:
            size = next(s for (w, i, s) in times if w == "pi" and i == backend)
            rate = size / (pi[0] / 1e9)
            check(f"{backend}: pi ≥ 1.0e9 samples/s", rate, rate >= 1e9, f"{rate:.3g} samples/s")
    return ["| target | measured | |", "|---|---|---|"] + rows


def plot_map_square(times, out):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    implementations = sorted({i for (w, i, s) in times if w == "map_square"})
    for implementation in implementations:
        points = sorted((s, t) for (w, i, s), t in times.items() if w == "map_square" and i == implementation)
        ax.plot([s for s, _ in points], [t / 1e3 for _, t in points], marker="o", label=implementation)
    ax.set(xscale="log", yscale="log", xlabel="elements", ylabel="time per call (µs)", title="map y = x*x over floats")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def plot_scaling(scaling, out):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    series = {}
    for workers, times in sorted(scaling.items()):
        for (workload, implementation, size), t in times.items():
            serial = times.get((workload, "serial_loop", size))
            if serial and implementation != "serial_loop":
                series.setdefault(f"{workload}/{implementation}", []).append((workers, serial / t))
    for name, points in sorted(series.items()):
        ax.plot([w for w, _ in points], [s for _, s in points], marker="o", label=name)
    most = max(scaling) if scaling else 1
    ax.plot([1, most], [1, most], linestyle="--", color="grey", label="ideal")
    ax.set(xlabel="workers", ylabel="speed-up over the serial loop", title="speed-up against worker count")
    ax.set_xticks(sorted(scaling))
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RESULTS_DIR")
    directory = pathlib.Path(sys.argv[1])
    context, times = medians(directory / "bench.json")
    scaling = {int(p.stem.split("-")[1]): medians(p)[1] for p in directory.glob("scaling-*.json")}
    plot_map_square(times, directory / "map_square.png")
    if scaling:
        plot_scaling(scaling, directory / "scaling.png")

    report = [f"# parmap-bench report ({context.get('date', '')})", "",
              f"{context.get('num_cpus')} CPUs at {context.get('mhz_per_cpu')} MHz, load average "
              f"{', '.join(f'{x:.2f}' for x in context.get('load_avg', []))}; workers: {context.get('workers')}. "
              "Medians of interleaved repetitions; each ratio compares two medians of this run "
              "(speed vs X = X's time / this time; above 1 is faster).", "", "## Targets", ""]
    report += target_lines(times)
    report += ["", "## Every result", ""] + ratio_table(times)
    compile_file = directory / "compile_times.json"
    if compile_file.exists():
        compile_times = json.loads(compile_file.read_text())
        plain = compile_times.get("without_parmap")
        report += ["", "## Compile time of one translation unit (g++ -O2 -std=c++17)", "",
                   "| translation unit | seconds | vs without parmap |", "|---|---|---|"]
        for name, seconds in compile_times.items():
            report.append(f"| {name} | {seconds:.2f} | {seconds / plain:.2f}× |" if plain else f"| {name} | {seconds:.2f} | – |")
    report += ["", "![map_square](map_square.png)"] + (["", "![scaling](scaling.png)"] if scaling else [])
    (directory / "report.md").write_text("\n".join(report) + "\n")
    print(f"report.py: wrote {directory / 'report.md'}")


if __name__ == "__main__":
    main()
