// parmap-bench: parmap's serial, threads and OpenMP backends against raw OpenMP and plain loops.
//
// Build (Release is plain -O3; never -march=native, CI machines differ):
//   cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release && cmake --build build-bench --target parmap-bench
// Run it like this, always:
//   build-bench/benchmarks/parmap-bench --benchmark_enable_random_interleaving=true
//       --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//       [--benchmark_out=bench.json --benchmark_out_format=json] [--benchmark_filter=map_square/]
// (one command line).
// The machines this runs on are shared and their timings move by 2x: random interleaving runs the
// repetitions of every benchmark in a shuffled order, so a burst of load from elsewhere hits every
// implementation alike, and the median of 5 repetitions drops the outliers. Compare medians, and compute
// every ratio within one run, never across runs. Check `uptime` first: on a 2-core machine a load
// average above 1 means something else competes for the cores. The full run takes about 2 minutes on 2 cores.
//
// Results are named <workload>/<implementation>/<size>, size in elements. (--benchmark_filter and
// --benchmark_list_tests see Google Benchmark's longer internal name, "<that>/min_time:0.200/real_time":
// end a filter with '/' rather than '$', e.g. --benchmark_filter='map_square/parmap_threads/1000/'.)
//   fork_join_trivial   out[i] = in[i] * 2 over 2 and 1000 floats: the cost of one call.
//   fork_join_busy20us  2 items of 20 us of spinning each: time - 20 us is the fork-join overhead.
//   map_square          y[i] = x[i] * x[i] over 1e3 .. 1e7 floats into a preallocated y (GB/s: x read + y written).
//   map_reduce_sum      the sum of 1e7 doubles.
//   pi                  parmap-pi's Monte Carlo hit count over 1e8 samples (counter samples_per_second).
//   imap_trivial        a stream of 1e6 doubles through y = x * x + 1, summed by the consumer (imap.cpp).
//   imap_busy1us        a stream of 1e5 doubles through about 1 us of work each, summed by the consumer.
// Implementations:
//   serial_loop          the plain for loop a user would write (map_square's must vectorise).
//   parmap_<backend>     parmap with policy parmap::<backend> and its default chunking; the busy items use
//                        chunks::static_(1), one item per worker.
//   parmap_*_split       fork_join_trivial with chunks::static_(): one block per worker, even below the grain.
//   omp                  the `#pragma omp parallel for` a competent OpenMP user writes for the same loop.
//   copy_omp             map_square's roofline: a memcpy of x into y split over the same threads.
//   parmap_threads_vector  map_square as y = parallel_map(parmap::threads, x, f): a new vector per call.
// Every parallel implementation runs on the same number of threads, parmap's default pool size (the CPUs
// this process may use; PARMAP_NUM_THREADS overrides it), shown as "workers" in the context at the top of
// the output; parmap_openmp keeps parmap::openmp's own default, omp_get_max_threads(), and the run warns
// when the two differ.
// Times are wall-clock (UseRealTime) everywhere, so serial and parallel times compare directly.
// Each implementation's output is checked once against the serial result before it is timed; a wrong
// result aborts the run with a message.
//
// Environment: PARMAP_BENCH_LARGE=1 adds map_square at 1e8 elements (800 MB; DESIGN.md's 90%-of-copy target).
//
// Adding an implementation (TBB, std::execution::par): one function and one row in the table of each
// workload's file. Adding a workload: a file with a register_<workload>() function, called below.
#include "common.hpp"

#include <omp.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace {

/// Google Benchmark names a benchmark "<name>/min_time:0.200/real_time" when its family sets those
/// options; these reporters drop the two parts, so every result is named exactly
/// <workload>/<implementation>/<size> (scripts split it on '/').
template <class Base>
class exact_names : public Base {
public:
    using Base::Base;
    void ReportRuns(const std::vector<benchmark::BenchmarkReporter::Run>& runs) override {
        std::vector<benchmark::BenchmarkReporter::Run> renamed(runs);
        for (benchmark::BenchmarkReporter::Run& run : renamed) {
            run.run_name.min_time.clear();
            run.run_name.time_type.clear();
        }
        Base::ReportRuns(renamed);
    }
};

/// The value of command-line flag `--name=value` (or `-name=value`), the last one given; `fallback` if none.
std::string flag_value(int argc, char** argv, const std::string& name, const std::string& fallback) {
    std::string value = fallback;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        for (const std::string& prefix : {"--" + name + "=", "-" + name + "="}) {
            if (arg.rfind(prefix, 0) == 0) value = arg.substr(prefix.size());
        }
    }
    return value;
}

/// A reporter for `format` (console or json) that keeps names exact; nullptr for any other format, which
/// Google Benchmark then handles itself (with its own names).
std::unique_ptr<benchmark::BenchmarkReporter> make_reporter(const std::string& format, bool to_terminal, bool tabular) {
    if (format == "json") return std::make_unique<exact_names<benchmark::JSONReporter>>();
    if (format != "console") return nullptr;
    int options = benchmark::ConsoleReporter::OO_None;
    if (to_terminal) options |= benchmark::ConsoleReporter::OO_Color;
    if (tabular) options |= benchmark::ConsoleReporter::OO_Tabular;
    return std::make_unique<exact_names<benchmark::ConsoleReporter>>(static_cast<benchmark::ConsoleReporter::OutputOptions>(options));
}

} // namespace

int main(int argc, char** argv) {
    // Read the reporters' flags before Initialize() takes them out of argv.
    const std::string display_format = flag_value(argc, argv, "benchmark_format", "console");
    const std::string file_format = flag_value(argc, argv, "benchmark_out_format", "json");
    const bool to_file = !flag_value(argc, argv, "benchmark_out", "").empty();
    const std::string color = flag_value(argc, argv, "benchmark_color", "auto");
    const std::string tabular = flag_value(argc, argv, "benchmark_counters_tabular", "false");
    const bool to_terminal = color == "auto" ? isatty(STDOUT_FILENO) != 0 : (color == "true" || color == "yes" || color == "1");
    const bool is_tabular = tabular == "true" || tabular == "yes" || tabular == "1";

    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    parmap_bench::register_fork_join_trivial();
    parmap_bench::register_fork_join_busy();
    parmap_bench::register_map_square();
    parmap_bench::register_map_square_errors();
    parmap_bench::register_map_reduce_sum();
    parmap_bench::register_mandelbrot_rows();
    parmap_bench::register_pi();
    parmap_bench::register_expensive_rows();
    parmap_bench::register_imap();

    const int workers = parmap_bench::workers();
    // TBB and std::execution::par (libstdc++ runs it on TBB) get the same number of threads as the others.
    tbb::global_control tbb_threads(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(workers));
    benchmark::AddCustomContext("workers", std::to_string(workers));
    benchmark::AddCustomContext("omp_max_threads", std::to_string(omp_get_max_threads()));
    if (omp_get_max_threads() != workers) {
        std::fprintf(stderr, "parmap-bench: note: parmap::openmp's default team (%d threads, omp_get_max_threads) differs from "
                             "the %d workers every other parallel implementation uses\n", omp_get_max_threads(), workers);
    }

    auto display = make_reporter(display_format, to_terminal, is_tabular);
    // A file reporter without --benchmark_out is an error to Google Benchmark: make one only with a file.
    auto file = to_file ? make_reporter(file_format, false, false) : nullptr;
    benchmark::RunSpecifiedBenchmarks(display.get(), file.get());
    benchmark::Shutdown();
    return 0;
}
