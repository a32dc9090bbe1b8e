// parmap: what every backend shares about running one call: the chunk schedule (which chunks exist and
// how participants claim them) and the job's control (first error, stop, progress). Backends differ only
// in who the participants are: the caller alone, a thread_pool's threads, or an OpenMP team.
#pragma once

#include <parmap/detail/schedule.hpp>
#include <parmap/worker_index.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>

namespace parmap {
namespace detail {

/// The contract for errors: of the exceptions a call's elements threw, the one from the lowest element
/// index is the one the caller gets. Every backend records its failures here.
class first_error {
public:
    /// Records `error`, thrown at element `at`, unless one from a lower index is already kept.
    void fail(std::size_t at, std::exception_ptr error) noexcept {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_ || at < at_) {
            error_ = std::move(error);
            at_ = at;
        }
    }
    /// Rethrows the kept exception, if any.
    void rethrow() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    std::mutex mutex_;
    std::exception_ptr error_;
    std::size_t at_ = std::numeric_limits<std::size_t>::max();
};

/// The control of one call: the first error by element index, the stop token, progress. Chunks run
/// through run_guarded() on any participant; the reporter (the calling thread) calls report() and, once
/// every participant has left, finish(), which rethrows, throws cancelled, or reports completion.
template <class Progress>
class job_control {
    static constexpr bool has_progress = !std::is_same_v<Progress, no_progress>;
    using clock = std::chrono::steady_clock;

public:
    job_control(std::size_t total, const policy_options& options, const Progress& progress) noexcept
        : total_(total), stop_(options.stop), progress_(progress) {
        if constexpr (has_progress) last_report_ = clock::now();
    }
    job_control(const job_control&) = delete;
    job_control& operator=(const job_control&) = delete;

    /// True once a chunk failed or the stop token was signalled: start no more chunks.
    bool halted() noexcept {
        if (halted_.load(std::memory_order_relaxed)) return true;
        if (stop_.stop_requested()) {
            halted_.store(true, std::memory_order_relaxed);
            return true;
        }
        return false;
    }

    /// Runs body(begin, end); an exception is recorded (the lowest begin wins) and halts the job.
    template <class Body>
    void run_guarded(Body& body, std::size_t begin, std::size_t end) noexcept {
        try {
            body(begin, end);
        } catch (...) {
            fail(begin, std::current_exception());
            return;
        }
        if constexpr (has_progress) done_.fetch_add(end - begin, std::memory_order_relaxed);
    }

    /// Calls the progress callback if its interval has passed (reporter thread only).
    void report() noexcept {
        if constexpr (has_progress) {
            auto now = clock::now();
            if (now - last_report_ < progress_.interval) return;
            last_report_ = now;
            try {
                progress_.callback(std::min(done_.load(std::memory_order_relaxed), total_), total_);
            } catch (...) {
                fail(total_, std::current_exception());  // after every element's own errors
            }
        }
    }

    /// How long the reporter may sleep between reports; zero when there is nothing to report.
    std::chrono::nanoseconds report_interval() const noexcept {
        if constexpr (has_progress) return progress_.interval;
        return std::chrono::nanoseconds::zero();
    }

    /// After every participant has left: rethrows the first error, throws cancelled if the stop token
    /// was signalled during the call, else reports done == total.
    void finish() {
        error_.rethrow();
        if (stop_.stop_requested()) throw cancelled();
        if constexpr (has_progress) progress_.callback(total_, total_);
    }

    /// Runs every chunk of `schedule` on the calling thread: the serial backend and calls too small to share.
    template <class Body>
    void run_alone(chunk_schedule& schedule, Body& body) {
        if constexpr (!has_progress) {
            if (!stop_.stop_possible()) {  // nothing to check between chunks: one plain loop
                body(std::size_t{0}, schedule.size());
                return;
            }
        }
        if (halted()) return finish();
        schedule.work([&](std::size_t b, std::size_t e) { run_guarded(body, b, e); report(); }, [&] { return halted(); });
        finish();
    }

private:
    void fail(std::size_t at, std::exception_ptr error) noexcept {
        error_.fail(at, std::move(error));
        halted_.store(true, std::memory_order_relaxed);
    }

    std::size_t total_;
    const stop_token& stop_;
    const Progress& progress_;
    std::atomic<bool> halted_{false};
    std::atomic<std::size_t> done_{0};
    clock::time_point last_report_{};
    first_error error_;
};

} // namespace detail

} // namespace parmap
