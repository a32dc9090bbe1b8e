// parmap-bench: what every workload file shares: the thread count, registration under the
// <workload>/<implementation>/<size> name, the once-before-timing result check, and busy work.
#pragma once

#include <benchmark/benchmark.h>
#include <parmap/parmap.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace parmap_bench {

/// Allocates on 4096-byte boundaries, so that every input and output starts at the same offset in a
/// page whatever the heap did before: with malloc's placement the relative offset of x and y (and so
/// 4K aliasing between their loads and stores, and the vector loop's peeling) changes from one
/// repetition to the next, and a 1000-element loop's time jumps between two levels by up to 2x.
template <class T>
struct page_aligned {
    using value_type = T;
    static constexpr std::align_val_t alignment{4096};

    page_aligned() noexcept = default;
    template <class U>
    page_aligned(const page_aligned<U>&) noexcept {}

    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), alignment)); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p, alignment); }

    template <class U>
    bool operator==(const page_aligned<U>&) const noexcept { return true; }
    template <class U>
    bool operator!=(const page_aligned<U>&) const noexcept { return false; }
};

/// The inputs and outputs of every workload: a std::vector, page-aligned.
template <class T>
using buffer = std::vector<T, page_aligned<T>>;

/// Each benchmark runs for at least this long per repetition, after warm_up().
inline constexpr double min_time_s = 0.2;

/// The threads every parallel implementation runs on: parmap's default (the CPUs this process may use,
/// or PARMAP_NUM_THREADS), handed to raw OpenMP as num_threads so that every contender has the same team.
inline int workers() {
    static const int n = static_cast<int>(parmap::default_pool().size());
    return n;
}

/// The team for n items: workers(), but no more threads than items (what parmap's split policies use too).
inline int team(std::size_t n) { return n < static_cast<std::size_t>(workers()) ? static_cast<int>(n) : workers(); }

/// The loop a competent oneTBB user writes: tbb::parallel_for over a blocked_range with the default
/// (auto) partitioner, the body's loop inside the range so that it vectorises. TBB's thread count is
/// capped at workers() in main().
template <class Body>
void tbb_for(std::size_t n, Body body) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n), [&body](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) body(i);
    });
}

/// True when the environment variable `name` is set to 1.
inline bool env_flag(const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && std::string(value) == "1";
}

/// A wrong answer makes every timing meaningless: say which benchmark and where, and stop.
[[noreturn]] inline void wrong_result(const std::string& benchmark, std::size_t index, double got, double expected) {
    std::fprintf(stderr, "parmap-bench: %s gives a wrong result at index %zu: %.17g instead of %.17g\n", benchmark.c_str(),
                 index, got, expected);
    std::abort();
}

/// Registers `fn(state, name)` as <workload>/<implementation>/<size>, timed in wall-clock time (the
/// caller's CPU time would miss the other threads' work). Google Benchmark appends the options to the
/// name; main.cpp's reporters drop them again.
template <class Fn>
void add(const std::string& workload, const std::string& implementation, std::size_t size, benchmark::TimeUnit unit, Fn fn) {
    std::string name = workload + "/" + implementation + "/" + std::to_string(size);
    benchmark::RegisterBenchmark(name.c_str(), [fn, name](benchmark::State& state) { fn(state, name); })
        ->UseRealTime()
        ->MinTime(min_time_s)
        ->Unit(unit);
}

/// Calls `call` again and again for 20 ms before a timing loop, so that the threads of the runtime
/// the previous benchmark used (libgomp's spin for milliseconds after a region, parmap's for 200 us)
/// have gone to sleep and stop competing for the cores, and caches and pools are warm. (Google
/// Benchmark's MinWarmUpTime warms up only a benchmark's first repetition, not the interleaved ones.)
template <class Call>
void warm_up(Call&& call) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(20);
    do {
        call();
    } while (std::chrono::steady_clock::now() < end);
}

/// The timed part of every benchmark: `call` warmed up (warm_up), then run once per iteration of `state`'s
/// loop. What `call` returns (a result, or a pointer to the buffer it wrote) is kept from the optimiser, and
/// every write it made is treated as observed, so that no iteration's work can be dropped.
template <class Call>
void measure(benchmark::State& state, Call&& call) {
    warm_up([&] { benchmark::DoNotOptimize(call()); });
    for (auto _ : state) {
        auto result = call();
        benchmark::DoNotOptimize(result);
        benchmark::ClobberMemory();
    }
}

/// Real CPU work for `duration`: spins on the steady clock (a sleep would measure the scheduler instead).
inline void spin_for(std::chrono::nanoseconds duration) {
    const auto end = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < end) {
    }
}

// One registration function per workload, each in its own file; main() calls them all.
void register_fork_join_trivial();
void register_fork_join_busy();
void register_map_square();
void register_map_square_errors();
void register_map_reduce_sum();
void register_mandelbrot_rows();
void register_pi();
void register_expensive_rows();
void register_imap();

} // namespace parmap_bench
