// fork_join_busy20us: 2 items of 20 us of real CPU work each (spinning on the steady clock), dealt one
// per worker. The ideal parallel time is 20 us (serial_loop: 40 us); time - 20 us is what a fork-join
// round trip costs when the workers have something to do.
#include "common.hpp"

#include <tbb/partitioner.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <execution>
#include <vector>

namespace parmap_bench {
namespace {

using items = buffer<double>;
constexpr std::chrono::microseconds work_per_item{20};

double busy(double v) {
    spin_for(work_per_item);
    return v * 2.0;
}

void serial_loop(const items& in, items& out) {
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = busy(in[i]);
}

void parmap_threads(const items& in, items& out) {
    parmap::parallel_map(parmap::threads.chunk(parmap::chunks::static_(1)), in.begin(), in.end(), out.begin(), busy);
}

void parmap_openmp(const items& in, items& out) {
    parmap::parallel_map(parmap::openmp.chunk(parmap::chunks::static_(1)), in.begin(), in.end(), out.begin(), busy);
}

void omp(const items& in, items& out) {
    const double* x = in.data();
    double* y = out.data();
    const auto n = static_cast<std::ptrdiff_t>(in.size());
#pragma omp parallel for schedule(static, 1) num_threads(team(in.size()))
    for (std::ptrdiff_t i = 0; i < n; ++i) y[i] = busy(x[i]);
}

void tbb(const items& in, items& out) {
    const double* x = in.data();
    double* y = out.data();
    // One item per task (grain 1), as schedule(static, 1) and chunks::static_(1) do.
    tbb::parallel_for(std::size_t{0}, in.size(), [x, y](std::size_t i) { y[i] = busy(x[i]); }, tbb::simple_partitioner());
}

void std_par(const items& in, items& out) {
    std::transform(std::execution::par, in.begin(), in.end(), out.begin(), busy);
}

struct implementation {
    const char* name;
    void (*run)(const items& in, items& out);
};

// A new implementation is one function above and one row here.
const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_threads", parmap_threads},
    {"parmap_openmp", parmap_openmp},
    {"omp", omp},
    {"tbb", tbb},
    {"std_par", std_par},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::size_t n) {
    items in(n), out(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<double>(i) + 0.5;
    impl.run(in, out);
    for (std::size_t i = 0; i < n; ++i) {
        if (out[i] != in[i] * 2.0) wrong_result(name, i, out[i], in[i] * 2.0);
    }
    measure(state, [&] {
        impl.run(in, out);
        return out.data();
    });
}

} // namespace

void register_fork_join_busy() {
    for (const implementation& impl : implementations) {
        add("fork_join_busy20us", impl.name, 2, benchmark::kMicrosecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, 2); });
    }
}

} // namespace parmap_bench
