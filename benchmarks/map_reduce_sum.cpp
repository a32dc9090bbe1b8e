// map_reduce_sum: the double sum of 1e7 doubles, parmap::parallel_map_reduce against an OpenMP
// reduction and a serial loop. The inputs are multiples of 1/4 below 256, so every summation order gives
// the exact same sum and each implementation is checked for equality.
#include "common.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <cstddef>
#include <execution>
#include <functional>
#include <numeric>
#include <vector>

namespace parmap_bench {
namespace {

using doubles = buffer<double>;
constexpr std::size_t elements = 10000000;

double serial_loop(const doubles& x) {
    double sum = 0.0;
    for (double v : x) sum += v;
    return sum;
}

double parmap_serial(const doubles& x) {
    return parmap::parallel_map_reduce(parmap::serial, x, [](double v) { return v; }, 0.0, std::plus<>{});
}

double parmap_threads(const doubles& x) {
    return parmap::parallel_map_reduce(parmap::threads, x, [](double v) { return v; }, 0.0, std::plus<>{});
}

double parmap_openmp(const doubles& x) {
    return parmap::parallel_map_reduce(parmap::openmp, x, [](double v) { return v; }, 0.0, std::plus<>{});
}

double omp(const doubles& x) {
    const double* in = x.data();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
    double sum = 0.0;
#pragma omp parallel for reduction(+ : sum) num_threads(workers())
    for (std::ptrdiff_t i = 0; i < n; ++i) sum += in[i];
    return sum;
}

// The block body both TBB reductions use: a competent user's loop over the range.
double tbb_block_sum(const double* in, const tbb::blocked_range<std::size_t>& range, double sum) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) sum += in[i];
    return sum;
}

double tbb_reduce(const doubles& x) {
    const double* in = x.data();
    return tbb::parallel_reduce(
        tbb::blocked_range<std::size_t>(0, x.size()), 0.0,
        [in](const tbb::blocked_range<std::size_t>& range, double sum) { return tbb_block_sum(in, range, sum); }, std::plus<>{});
}

// TBB's reproducible reduction: the split points depend only on the range and grain (here 1024, like
// parmap's at most 1024 blocks per call), not on the thread count.
double tbb_deterministic(const doubles& x) {
    const double* in = x.data();
    return tbb::parallel_deterministic_reduce(
        tbb::blocked_range<std::size_t>(0, x.size(), x.size() / 1024 + 1), 0.0,
        [in](const tbb::blocked_range<std::size_t>& range, double sum) { return tbb_block_sum(in, range, sum); }, std::plus<>{});
}

double std_par(const doubles& x) {
    return std::reduce(std::execution::par, x.begin(), x.end(), 0.0);
}

struct implementation {
    const char* name;
    double (*run)(const doubles& x);
};

// A new implementation is one function above and one row here.
const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_serial", parmap_serial},
    {"parmap_threads", parmap_threads},
    {"parmap_openmp", parmap_openmp},
    {"omp", omp},
    {"tbb", tbb_reduce},
    {"tbb_deterministic", tbb_deterministic},
    {"std_par", std_par},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::size_t n) {
    doubles x(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i % 1024) * 0.25;
    const double expected = serial_loop(x);
    const double got = impl.run(x);
    if (got != expected) wrong_result(name, 0, got, expected);
    measure(state, [&] { return impl.run(x); });
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n * sizeof(double)));
}

} // namespace

void register_map_reduce_sum() {
    for (const implementation& impl : implementations) {
        add("map_reduce_sum", impl.name, elements, benchmark::kMicrosecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, elements); });
    }
}

} // namespace parmap_bench
