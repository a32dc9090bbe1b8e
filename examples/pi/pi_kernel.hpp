// parmap-pi's Monte Carlo kernel, shared by the program, its tests (tests/random) and the benchmark suite.
//
// Sample i of seed s (the README's stream layout, from parmap/random.hpp):
//   w = parmap::philox4x32(s)(i / 2), i.e. Philox4x32-10 with counter (low32(i/2), high32(i/2), 0, 0) and
//   key (low32(s), high32(s)); an even i takes the point (w[0], w[1]), an odd i the point (w[2], w[3]);
//   x = uniform01<float>(first word), y = uniform01<float>(second word), each a multiple of 2^-24;
//   the sample hits when x*x + y*y < 1, evaluated exactly: with x = a * 2^-24 and y = b * 2^-24 that is the
//   integer test a*a + b*b < 2^48, the same as the test in double, where both squares and their sum are
//   exact. No floating-point rounding takes part, so no compiler, flag (FMA contraction, -ffast-math) or
//   instruction set can change a hit, and the hit count is an integer sum: every backend, worker count and
//   block size gives the same count.
#pragma once

#include <parmap/parmap.hpp>
#include <parmap/random.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap_pi {

/// Samples per element of the parallel map-reduce: 2^16, about 0.1 ms of work on one core.
inline constexpr std::uint64_t block_samples = std::uint64_t{1} << 16;

/// True when the point made of words wx and wy lies inside the quarter circle (1) or not (0).
PARMAP_HD PARMAP_FORCE_INLINE std::uint32_t inside(std::uint32_t wx, std::uint32_t wy) noexcept {
    const std::uint64_t a = wx >> 8, b = wy >> 8;               // x = a * 2^-24, y = b * 2^-24
    return static_cast<std::uint32_t>(1 - ((a * a + b * b) >> 48));  // a*a + b*b < 2^49: the shift gives 0 or 1
}

/// Sample i of `seed` as the point (x, y) in [0, 1)^2.
inline std::pair<float, float> sample_point(std::uint64_t seed, std::uint64_t i) noexcept {
    const parmap::philox4x32::counter_type w = parmap::philox4x32(seed)(i / 2);
    const unsigned first = (i % 2 == 0) ? 0u : 2u;
    return {parmap::uniform01<float>(w.v[first]), parmap::uniform01<float>(w.v[first + 1])};
}

namespace detail {

/// Hits among the 2n samples of Philox calls (lo, hi) .. (lo + n - 1, hi), lo + n <= 2^32 and n <= 2^30
/// (so that the count fits in 32 bits). The loop the compilers vectorise: four words per call, two points.
PARMAP_FORCE_INLINE std::uint32_t hits_in_calls_body(parmap::philox4x32 rng, std::uint32_t lo, std::uint32_t hi,
                                                     std::uint32_t n) noexcept {
    std::uint32_t hits = 0;
    for (std::uint32_t j = 0; j < n; ++j) {
        const parmap::philox4x32::counter_type w = rng(parmap::philox4x32::counter_type{{lo + j, hi, 0, 0}});
        hits += inside(w.v[0], w.v[1]) + inside(w.v[2], w.v[3]);
    }
    return hits;
}

using hits_in_calls_fn = std::uint32_t (*)(parmap::philox4x32, std::uint32_t, std::uint32_t, std::uint32_t);

// The same loop compiled for three instruction sets, chosen at run time, so that a portable build (no
// -march) still runs the vector code the CPU has. The answer is integer arithmetic: identical on each.
inline std::uint32_t hits_in_calls_baseline(parmap::philox4x32 rng, std::uint32_t lo, std::uint32_t hi, std::uint32_t n) noexcept {
    return hits_in_calls_body(rng, lo, hi, n);
}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define PARMAP_PI_X86_VARIANTS 1
__attribute__((target("avx2"))) inline std::uint32_t hits_in_calls_avx2(parmap::philox4x32 rng, std::uint32_t lo,
                                                                         std::uint32_t hi, std::uint32_t n) noexcept {
    return hits_in_calls_body(rng, lo, hi, n);
}
__attribute__((target("avx512f,avx512dq,avx512vl,avx512bw"))) inline std::uint32_t
hits_in_calls_avx512(parmap::philox4x32 rng, std::uint32_t lo, std::uint32_t hi, std::uint32_t n) noexcept {
    return hits_in_calls_body(rng, lo, hi, n);
}
#endif

} // namespace detail

/// One compiled version of the hit-counting loop.
struct kernel {
    const char* name;                  ///< "baseline" (the build's own flags), "avx2" or "avx512"
    detail::hits_in_calls_fn function;
};

/// Every version of the loop this CPU can run, the fastest last.
inline std::vector<kernel> supported_kernels() {
    std::vector<kernel> kernels{{"baseline", detail::hits_in_calls_baseline}};
#if defined(PARMAP_PI_X86_VARIANTS)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) kernels.push_back({"avx2", detail::hits_in_calls_avx2});
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bw")) {
        kernels.push_back({"avx512", detail::hits_in_calls_avx512});
    }
#endif
    return kernels;
}

/// The fastest version of the loop this CPU can run (chosen once).
inline const kernel& best_kernel() {
    static const kernel best = supported_kernels().back();
    return best;
}

/// The number of hits among samples [first, first + count) of `seed`, on one thread, with loop `k`.
inline std::uint64_t count_hits(std::uint64_t seed, std::uint64_t first, std::uint64_t count, const kernel& k = best_kernel()) {
    const parmap::philox4x32 rng(seed);
    const std::uint64_t end = first + count;
    std::uint64_t hits = 0, i = first;
    if (i % 2 == 1 && i < end) {  // an odd first sample: the second point of its call
        const parmap::philox4x32::counter_type w = rng(i / 2);
        hits += inside(w.v[2], w.v[3]);
        ++i;
    }
    while (end - i >= 2) {  // whole calls, cut where the counter's low word would wrap
        const std::uint64_t call = i / 2;
        const std::uint32_t lo = static_cast<std::uint32_t>(call), hi = static_cast<std::uint32_t>(call >> 32);
        const std::uint64_t n = std::min({(end - i) / 2, (std::uint64_t{1} << 32) - lo, std::uint64_t{1} << 30});
        hits += k.function(rng, lo, hi, static_cast<std::uint32_t>(n));
        i += 2 * n;
    }
    if (i < end) {  // an odd last sample: the first point of its call
        const parmap::philox4x32::counter_type w = rng(i / 2);
        hits += inside(w.v[0], w.v[1]);
    }
    return hits;
}

/// How many blocks of block_samples hold `samples` samples (the last may be short).
inline std::uint64_t block_count(std::uint64_t samples) { return samples / block_samples + (samples % block_samples != 0); }

/// The hits of block b of samples [0, samples) of `seed` with loop `k`: what count_hits(policy, ...) sums.
inline auto block_hits(std::uint64_t seed, std::uint64_t samples, const kernel& k = best_kernel()) {
    return [seed, samples, &k](std::uint64_t block) {
        const std::uint64_t first = block * block_samples;
        return count_hits(seed, first, std::min(block_samples, samples - first), k);
    };
}

/// The number of hits among samples [0, samples) of `seed`, counted in blocks of block_samples by
/// parallel_map_reduce as `policy` says (give it a chunking that does not run ~2048 blocks inline, e.g.
/// parmap::chunks::guided(16), as parmap-pi does). An integer sum: the same on every backend and worker count.
template <class Policy, std::enable_if_t<parmap::is_policy_v<Policy>, int> = 0>
std::uint64_t count_hits(const Policy& policy, std::uint64_t seed, std::uint64_t samples, const kernel& k = best_kernel()) {
    return parmap::parallel_map_reduce(policy, parmap::iota(block_count(samples)), block_hits(seed, samples, k), std::uint64_t{0},
                                       std::plus<>{});
}

/// 4 * hits / samples.
inline double estimate(std::uint64_t hits, std::uint64_t samples) noexcept {
    return 4.0 * static_cast<double>(hits) / static_cast<double>(samples);
}

} // namespace parmap_pi
