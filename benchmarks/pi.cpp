// pi: parmap-pi's Monte Carlo hit count (examples/pi/pi_kernel.hpp: Philox4x32-10, two points per call) over
// 1e8 samples, cut into blocks of 2^16 samples: parmap::parallel_map_reduce on each backend against the
// `#pragma omp parallel for reduction` a competent OpenMP user writes over the same blocks and the same
// Philox loop, TBB's parallel_reduce, and a serial loop. Compute-bound: DESIGN.md asks for a speed-up of 0.95 x workers. The
// counter samples_per_second is the figure the README quotes. Each count is an integer sum, so every
// implementation is checked for the exact count before it is timed.
#include "common.hpp"

#include "pi_kernel.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace parmap_bench {
namespace {

constexpr std::uint64_t samples = 100'000'000;
constexpr std::uint64_t seed = 42;
constexpr std::uint64_t blocks = samples / parmap_pi::block_samples + (samples % parmap_pi::block_samples != 0);

std::uint64_t block_hits(std::uint64_t block) {
    const std::uint64_t first = block * parmap_pi::block_samples;
    return parmap_pi::count_hits(seed, first, std::min(parmap_pi::block_samples, samples - first));
}

std::uint64_t serial_loop() { return parmap_pi::count_hits(seed, 0, samples); }

// guided(16), as parmap-pi: some 1500 blocks, which the default grain (2048) would run inline on one thread.
std::uint64_t parmap_serial() { return parmap_pi::count_hits(parmap::serial, seed, samples); }
std::uint64_t parmap_threads() { return parmap_pi::count_hits(parmap::threads.chunk(parmap::chunks::guided(16)), seed, samples); }
std::uint64_t parmap_openmp() { return parmap_pi::count_hits(parmap::openmp.chunk(parmap::chunks::guided(16)), seed, samples); }

std::uint64_t omp() {
    std::uint64_t hits = 0;
#pragma omp parallel for reduction(+ : hits) schedule(static) num_threads(workers())
    for (std::int64_t b = 0; b < static_cast<std::int64_t>(blocks); ++b) hits += block_hits(static_cast<std::uint64_t>(b));
    return hits;
}

// TBB's reduction over the same blocks (its default partitioner; an integer sum, so any split gives the same count).
std::uint64_t tbb_reduce() {
    return tbb::parallel_reduce(
        tbb::blocked_range<std::uint64_t>(0, blocks), std::uint64_t{0},
        [](const tbb::blocked_range<std::uint64_t>& range, std::uint64_t hits) {
            for (std::uint64_t b = range.begin(); b != range.end(); ++b) hits += block_hits(b);
            return hits;
        },
        std::plus<>{});
}

struct implementation {
    const char* name;
    std::uint64_t (*run)();
};

const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_serial", parmap_serial},
    {"parmap_threads", parmap_threads},
    {"parmap_openmp", parmap_openmp},
    {"omp", omp},
    {"tbb", tbb_reduce},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::uint64_t expected) {
    const std::uint64_t got = impl.run();
    if (got != expected) wrong_result(name, 0, static_cast<double>(got), static_cast<double>(expected));
    measure(state, [&] { return impl.run(); });
    state.counters["samples_per_second"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(samples), benchmark::Counter::kIsRate);
    state.SetLabel(parmap_pi::best_kernel().name);
}

} // namespace

void register_pi() {
    static const std::uint64_t expected = serial_loop();
    for (const implementation& impl : implementations) {
        add("pi", impl.name, samples, benchmark::kMillisecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, expected); });
    }
}

} // namespace parmap_bench
