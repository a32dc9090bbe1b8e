// parmap: small inputs under automatic chunking. They run inline on the caller, which is the fastest
// way for cheap elements, unless they turn out to be expensive: the caller times its first element (and
// a few more when that one looks slow), and when the rest would take longer than a hand-off to other
// threads is worth, the rest runs in parallel after all. A count alone cannot tell 2000 additions from
// 768 rows of a ray tracer; OpenMP's loops are never serial either.
#pragma once

#include <parmap/detail/schedule.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
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

/// A cheap clock for the decision: the time-stamp counter on x86 (a few ns to read), else steady_clock.
/// Ticks are at least a nanosecond each wherever it runs (the counter runs at 1 GHz or more).
inline std::uint64_t ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

/// Work worth sharing: about 30 us or more (100,000 ticks of a 3 GHz counter; a hand-off costs a few us).
inline constexpr std::uint64_t worth_sharing = 100'000;

/// Runs body over [0, n) for a call that runs_inline() allows on the caller. Elements found expensive
/// make it call run_rest(offset, chunking): the backend runs [offset, n) in parallel with that chunking.
/// `align` is the map-reduce block: timed prefixes end on block boundaries.
template <class Body, class RunRest>
void run_inline(std::size_t n, std::size_t align, std::size_t workers, const policy_options& options, Body& body, RunRest&& run_rest) {
    if (!options.chunking.timed || options.workers == 1 || workers <= 1 || n <= align) return body(std::size_t{0}, n);
    std::size_t done = align;
    std::uint64_t start = ticks();
    body(std::size_t{0}, done);
    std::uint64_t spent = ticks() - start;  // per `done` elements
    if (spent < worth_sharing && spent * (n / done) >= worth_sharing) {
        // The first element alone may have paid for a cold cache, a page fault or a lazily bound
        // function: a few more decide. An element that alone is worth sharing needs no second look.
        const std::size_t more = std::min(n - done, align * 32);
        start = ticks();
        body(done, done + more);
        spent = (ticks() - start) * done / more;
        done += more;
    }
    const std::size_t left = n - done;
    if (left == 0 || spent * (left / align) / (done / align) < worth_sharing) return body(done, n);
    // Chunks of about 30 us each, at least four per worker so that uneven elements even out.
    const std::uint64_t per_block = std::max<std::uint64_t>(1, spent / (done / align));
    std::size_t blocks = static_cast<std::size_t>(std::max<std::uint64_t>(1, worth_sharing / per_block));
    blocks = std::min(blocks, std::max<std::size_t>(1, ceil_div(left / align, 4 * workers)));
    run_rest(done, chunks::dynamic(blocks * align));
}

} // namespace parmap::detail
