// map_square: y[i] = x[i] * x[i] over floats into a preallocated y (parallel_map's iterator form), from
// 1e3 elements (below parmap's grain: must be as fast as a serial loop) to 1e7 (memory-bound), and 1e8
// with PARMAP_BENCH_LARGE=1 (800 MB). bytes_per_second counts x read and y written; copy_omp, a memcpy
// of x into y split over the workers, is the machine's bandwidth roofline for the same traffic.
// parmap_threads_vector is the range form, y = parallel_map(parmap::threads, x, square): a new
// std::vector per call, which zeroes its elements before the map writes them.
#include "common.hpp"

#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <execution>
#include <vector>

namespace parmap_bench {
namespace {

using floats = buffer<float>;

void serial_loop(const floats& x, floats& y) {
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = x[i] * x[i];
}

void parmap_serial(const floats& x, floats& y) {
    parmap::parallel_map(parmap::serial, x.begin(), x.end(), y.begin(), [](float v) { return v * v; });
}

void parmap_threads(const floats& x, floats& y) {
    parmap::parallel_map(parmap::threads, x.begin(), x.end(), y.begin(), [](float v) { return v * v; });
}

void parmap_openmp(const floats& x, floats& y) {
    parmap::parallel_map(parmap::openmp, x.begin(), x.end(), y.begin(), [](float v) { return v * v; });
}

std::vector<float> parmap_threads_vector(const floats& x) {
    return parmap::parallel_map(parmap::threads, x, [](float v) { return v * v; });
}

void omp(const floats& x, floats& y) {
    const float* in = x.data();
    float* out = y.data();
    const auto n = static_cast<std::ptrdiff_t>(x.size());
#pragma omp parallel for num_threads(workers())
    for (std::ptrdiff_t i = 0; i < n; ++i) out[i] = in[i] * in[i];
}

void tbb(const floats& x, floats& y) {
    const float* in = x.data();
    float* out = y.data();
    tbb_for(x.size(), [in, out](std::size_t i) { out[i] = in[i] * in[i]; });
}

void std_par(const floats& x, floats& y) {
    std::transform(std::execution::par, x.begin(), x.end(), y.begin(), [](float v) { return v * v; });
}

void copy_omp(const floats& x, floats& y) {
    const float* in = x.data();
    float* out = y.data();
    const std::size_t n = x.size();
#pragma omp parallel num_threads(workers())
    {
        const auto me = static_cast<std::size_t>(omp_get_thread_num());
        const auto team_size = static_cast<std::size_t>(omp_get_num_threads());
        const std::size_t begin = n * me / team_size, end = n * (me + 1) / team_size;
        std::memcpy(out + begin, in + begin, (end - begin) * sizeof(float));
    }
}

struct implementation {
    const char* name;
    void (*run)(const floats& x, floats& y);
    bool copies = false;                             // writes x itself (the roofline), not its square
    std::vector<float> (*make)(const floats& x) = nullptr;  // returns a new vector instead (run unused)
};

// A new implementation is one function above and one row here.
const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_serial", parmap_serial},
    {"parmap_threads", parmap_threads},
    {"parmap_openmp", parmap_openmp},
    {"parmap_threads_vector", nullptr, false, parmap_threads_vector},
    {"omp", omp},
    {"tbb", tbb},
    {"std_par", std_par},
    {"copy_omp", copy_omp, true},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::size_t n) {
    floats x(n), y(n);  // value-initialised, so every page is touched before the timing
    for (std::size_t i = 0; i < n; ++i) x[i] = 1.0f + static_cast<float>(i % 1024) / 1024.0f;
    if (impl.make != nullptr) {
        const std::vector<float> made = impl.make(x);
        std::copy(made.begin(), made.end(), y.begin());
    } else {
        impl.run(x, y);
    }
    for (std::size_t i = 0; i < n; ++i) {
        const float expected = impl.copies ? x[i] : x[i] * x[i];
        if (y[i] != expected) wrong_result(name, i, double(y[i]), double(expected));
    }
    if (impl.make != nullptr) {
        measure(state, [&] { return impl.make(x); });
    } else {
        measure(state, [&] {
            impl.run(x, y);
            return y.data();
        });
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(2 * n * sizeof(float)));
}

} // namespace

void register_map_square() {
    std::vector<std::size_t> sizes{1000, 100000, 1000000, 10000000};
    if (env_flag("PARMAP_BENCH_LARGE")) sizes.push_back(100000000);
    for (std::size_t n : sizes) {
        for (const implementation& impl : implementations) {
            add("map_square", impl.name, n, benchmark::kMicrosecond,
                [&impl, n](benchmark::State& state, const std::string& name) { run(state, name, impl, n); });
        }
    }
}

} // namespace parmap_bench
