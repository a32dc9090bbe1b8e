// fork_join_trivial: out[i] = in[i] * 2 over 2 and 1000 floats, so the time is the cost of one call.
// parmap_threads (default chunking) runs inline below the grain: it measures the inline cutoff. The
// *_split and omp implementations force the items onto the workers, one contiguous block each
// (chunks::static_() / schedule(static); for 2 items on 2 workers that is one item each, the same as
// static_(1) / schedule(static, 1)): they measure the cost of handing work to the team. OpenMP's
// worker always runs its item (parmap::openmp hands static_ chunks out with the same worksharing loop);
// parmap::threads' caller runs any slot no worker has claimed yet, so with 2 trivial items it usually
// finishes both before the worker arrives and the time is parmap's cost of posting and retiring a job.
// fork_join_busy20us measures a round trip in which every worker takes part.
#include "common.hpp"

#include <algorithm>
#include <cstddef>
#include <execution>
#include <vector>

namespace parmap_bench {
namespace {

using items = buffer<float>;

void serial_loop(const items& in, items& out) {
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = in[i] * 2.0f;
}

void parmap_threads(const items& in, items& out) {
    parmap::parallel_map(parmap::threads, in.begin(), in.end(), out.begin(), [](float v) { return v * 2.0f; });
}

void parmap_threads_split(const items& in, items& out) {
    parmap::parallel_map(parmap::threads.chunk(parmap::chunks::static_()), in.begin(), in.end(), out.begin(),
                         [](float v) { return v * 2.0f; });
}

void parmap_openmp_split(const items& in, items& out) {
    parmap::parallel_map(parmap::openmp.chunk(parmap::chunks::static_()), in.begin(), in.end(), out.begin(),
                         [](float v) { return v * 2.0f; });
}

void omp(const items& in, items& out) {
    const float* x = in.data();
    float* y = out.data();
    const auto n = static_cast<std::ptrdiff_t>(in.size());
#pragma omp parallel for schedule(static) num_threads(team(in.size()))
    for (std::ptrdiff_t i = 0; i < n; ++i) y[i] = x[i] * 2.0f;
}

void tbb(const items& in, items& out) {
    const float* x = in.data();
    float* y = out.data();
    tbb_for(in.size(), [x, y](std::size_t i) { y[i] = x[i] * 2.0f; });
}

void std_par(const items& in, items& out) {
    std::transform(std::execution::par, in.begin(), in.end(), out.begin(), [](float v) { return v * 2.0f; });
}

struct implementation {
    const char* name;
    void (*run)(const items& in, items& out);
};

// A new implementation is one function above and one row here.
const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_threads", parmap_threads},
    {"parmap_threads_split", parmap_threads_split},
    {"parmap_openmp_split", parmap_openmp_split},
    {"omp", omp},
    {"tbb", tbb},
    {"std_par", std_par},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::size_t n) {
    items in(n), out(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<float>(i) + 0.5f;
    impl.run(in, out);
    for (std::size_t i = 0; i < n; ++i) {
        if (out[i] != in[i] * 2.0f) wrong_result(name, i, double(out[i]), double(in[i] * 2.0f));
    }
    benchmark::DoNotOptimize(in.data());
    measure(state, [&] {
        impl.run(in, out);
        return out.data();
    });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

} // namespace

void register_fork_join_trivial() {
    for (std::size_t n : {std::size_t{2}, std::size_t{1000}}) {
        for (const implementation& impl : implementations) {
            add("fork_join_trivial", impl.name, n, benchmark::kNanosecond,
                [&impl, n](benchmark::State& state, const std::string& name) { run(state, name, impl, n); });
        }
    }
}

} // namespace parmap_bench
