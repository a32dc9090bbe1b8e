// parmap: small inputs under automatic chunking. They run inline on the caller, which is the fastest
// way for cheap elements, unless they turn out to be expensive: the caller times its first element (and
// a few more when that one looks slow), and when the rest would take longer than a hand-off to other
// threads is worth, the rest runs in parallel after all. A count alone cannot tell 2000 additions from
// 768 rows of a ray tracer; OpenMP's loops are never serial either.
#pragma once

#include <parmap/detail/schedule.hpp>
#include <parmap/detail/waiting.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>

/// Keeps a function out of its callers: the rarely taken paths beside a hot inline loop, so that the
/// compiler's inlining budget goes to the loop.
#if defined(__GNUC__)
#define PARMAP_NOINLINE __attribute__((noinline))
#else
#define PARMAP_NOINLINE
#endif

namespace parmap::detail {

/// True for a call that can skip the schedule and start on the caller at once: nothing to check between
/// chunks, and too small to share under automatic chunking (or one worker asked for).
template <class Progress>
bool runs_inline(std::size_t n, const policy_options& options) noexcept {
    if constexpr (!std::is_same_v<Progress, no_progress>) {
        return false;
    } else {
        return !options.stop.stop_possible() &&
               (options.workers == 1 || (options.chunking.how == chunks::kind::automatic && n <= options.chunking.size));
    }
}

/// Ticks between two back-to-back readings: what a timed call subtracts so that the clock's own cost does
/// not make a cheap element look expensive (measured once per process, the least of a few tries).
inline std::uint64_t clock_cost() noexcept {
    static const std::uint64_t cost = [] {
        std::uint64_t least = ~std::uint64_t{0};
        for (int i = 0; i < 16; ++i) {
            const std::uint64_t start = ticks();
            least = std::min(least, ticks() - start);
        }
        return least;
    }();
    return cost;
}

/// The ticks body(begin, end) took, less the clock's own cost.
template <class Body>
std::uint64_t timed_run(Body& body, std::size_t begin, std::size_t end) {
    const std::uint64_t start = ticks();
    body(begin, end);
    const std::uint64_t spent = ticks() - start;
    return spent > clock_cost() ? spent - clock_cost() : 0;
}

/// Work worth sharing: about 30 us or more (100,000 ticks of a 3 GHz counter; a hand-off costs a few us).
inline constexpr std::uint64_t worth_sharing = 100'000;

/// How a backend shares the rest of a small input found expensive: `left` elements in blocks of `align`,
/// each block about `per_block` ticks, over `workers` threads. Chunks of about 30 us, at least four per worker.
inline chunks::chunking rest_chunking(std::size_t left, std::size_t align, std::uint64_t per_block, std::size_t workers) {
    std::size_t blocks = static_cast<std::size_t>(std::max<std::uint64_t>(1, worth_sharing / std::max<std::uint64_t>(1, per_block)));
    blocks = std::min(blocks, std::max<std::size_t>(1, ceil_div(ceil_div(left, align), 4 * workers)));
    return chunks::dynamic(blocks * align);
}

/// Runs body over [0, n) for a call that runs_inline() allows on the caller. Elements found expensive make it
/// call run_rest(offset, ticks per block): the backend runs [offset, n) in parallel (see rest_chunking), or
/// inline where it has one worker. `align` is the map-reduce block: timed prefixes end on block boundaries.
/// Nothing here asks the backend for its worker count: that costs an OpenMP call, more than the clock.
template <class Body, class RunRest>
void run_inline(std::size_t n, std::size_t align, const policy_options& options, Body& body, RunRest&& run_rest) {
    // Calls of this body type (one call site: its lambda's type is unique) that may run inline untimed on this
    // thread: set when a call found its elements far too cheap to share, so that a loop of small cheap calls
    // reads the clock once every 16 calls (two reads cost ~20 ns of a ~70 ns call).
    static thread_local unsigned untimed = 0;
    const bool timed = options.chunking.timed && options.workers != 1 && n > align;
    if (!timed || untimed != 0) {
        untimed -= timed ? 1 : 0;
        return body(std::size_t{0}, n);
    }
    std::size_t done = align;
    std::uint64_t spent = timed_run(body, 0, done);  // per `done` elements
    if (spent < worth_sharing && spent * (n / done) >= worth_sharing) {
        // The first element alone may have paid for a cold cache, a page fault or a lazily bound
        // function: a few more decide. An element that alone is worth sharing needs no second look.
        const std::size_t more = std::min(n - done, align * 32);
        spent = timed_run(body, done, done + more) * done / more;
        done += more;
    }
    const std::size_t left = n - done;
    const std::uint64_t estimate = spent * (left / align) / (done / align);  // ticks for the rest
    if (left == 0 || estimate < worth_sharing) {
        if (16 * estimate < worth_sharing) untimed = 15;  // far from worth sharing: time again in 16 calls
        return body(done, n);
    }
    run_rest(done, std::max<std::uint64_t>(1, spent / (done / align)));
}

} // namespace parmap::detail
