// parmap: how a thread waits: the cheap clock it times with, and how long it spins before it sleeps.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

namespace parmap::detail {

/// A cheap clock: the time-stamp counter on x86 (a few ns to read), else steady_clock. Ticks are at
/// least a nanosecond each wherever it runs (the counter runs at 1 GHz or more).
inline std::uint64_t ticks() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    return __rdtsc();
#else
    return static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
#endif
}

/// When a waiting thread (a pool worker between jobs, a caller waiting for its helpers) stops spinning
/// and sleeps: after 200 us, or, after long work, once it has spun an eighth of the work's length (at
/// most 50M ticks, 19 ms at 2.6 GHz). A thread that sleeps lets its CPU go idle, and on a virtual machine
/// the host may then give that core to someone else: on the 2-core test VM, a thread woken after a sleep
/// in the middle of 100 ms calls came back milliseconds late, so that splitting Mandelbrot rows into
/// two fixed halves took 106-111 ms a call, against 102 ms when neither thread slept. An eighth keeps
/// what spinning can waste to a small share of the work done.
class spin_deadline {
public:
    static constexpr std::chrono::microseconds spin_time{200};
    static constexpr std::uint64_t work_share = 8;
    static constexpr std::uint64_t max_extra_ticks = 50'000'000;

    /// A wait after work that began at tick `work_began` (0: no work to speak of, spin_time only).
    explicit spin_deadline(std::uint64_t work_began = 0) noexcept
        : end_(std::chrono::steady_clock::now() + spin_time), start_(ticks()),
          extra_(work_began == 0 || work_began > start_ ? 0 : std::min((start_ - work_began) / work_share, max_extra_ticks)) {}

    /// True once the thread has spun long enough; a few tens of ns, so ask every few dozen spins.
    bool passed() noexcept {
        last_ = ticks();
        return last_ - start_ >= extra_ && std::chrono::steady_clock::now() > end_;
    }

    /// The tick read last (by passed(), or when the wait began): when the wait was last looked at.
    std::uint64_t last_tick() const noexcept { return last_; }

private:
    std::chrono::steady_clock::time_point end_;
    std::uint64_t start_;
    std::uint64_t extra_;
    std::uint64_t last_ = start_;
};

} // namespace parmap::detail
