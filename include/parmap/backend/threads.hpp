// parmap backend: threads. The chunks run on the calling thread and the threads of a parmap::thread_pool
// (the default pool unless `.on(pool)`), claimed through the shared chunk schedule.
#pragma once

#include <parmap/detail/elements.hpp>
#include <parmap/detail/job.hpp>
#include <parmap/detail/small_inputs.hpp>
#include <parmap/policy.hpp>
#include <parmap/thread_pool.hpp>

#include <cstddef>
#include <type_traits>

namespace parmap {

/// @brief The threads backend's tag, with its own option: the pool set by `.on(pool)`.
struct threads_backend {
    thread_pool* pool = nullptr;  ///< the pool a call runs on; nullptr = parmap::default_pool()
};

/// @brief Runs on a persistent pool of std::threads (parmap::default_pool() unless `.on(pool)`).
inline const policy<threads_backend> threads{};

namespace detail {

/// `.on(pool)`: parmap::threads runs on `pool` instead of parmap::default_pool().
template <>
struct on_target<thread_pool> {
    template <class Backend>
    static constexpr bool applies_to() {
        static_assert(std::is_same_v<Backend, threads_backend>,
                      "Note to the user: .on(pool) chooses a parmap::thread_pool, so it applies to parmap::threads only.");
        return std::is_same_v<Backend, threads_backend>;
    }
    static void set(threads_backend& options, thread_pool& pool) noexcept { options.pool = &pool; }
};

/// One call's chunks as a pool task: each participant claims chunks until none are left.
template <class Progress, class Body>
class chunk_task final : public pool_task {
public:
    chunk_task(chunk_schedule& schedule, job_control<Progress>& control, Body& body) noexcept
        : schedule_(schedule), control_(control), body_(body) {}

    void work(std::size_t participant) override {
        schedule_.work(
            [&](std::size_t begin, std::size_t end) {
                control_.run_guarded(body_, begin, end);
                if (participant == 0) control_.report();
            },
            [&] { return control_.halted(); }, participant);
    }
    std::chrono::nanoseconds report_interval() const noexcept override { return control_.report_interval(); }
    void report() noexcept override { control_.report(); }

private:
    chunk_schedule& schedule_;
    job_control<Progress>& control_;
    Body& body_;
};

/// Runs body(begin, end) over the chunks of [0, n) (boundaries multiples of `align`) on `pool` with
/// up to `workers` threads, the caller included.
template <class Progress, class Body>
void run_chunks_on(thread_pool& pool, std::size_t workers, std::size_t n, const policy_options& options,
                   const Progress& progress, Body& body, std::size_t align = 1) {
    chunk_schedule schedule(n, options.chunking, workers, align);
    job_control<Progress> control(n, options, progress);
    if (schedule.max_participants() <= 1) return control.run_alone(schedule, body);
    if (control.halted()) return control.finish();
    chunk_task<Progress, Body> task(schedule, control, body);
    pool_access::run(pool, task, schedule.max_participants());
    control.finish();
}

/// The pool a parmap::threads call runs on and how many threads it asks for (parallel_map's and imap's).
struct pool_choice {
    thread_pool& pool;
    std::size_t workers;
};

/// Without .workers(n), the default pool's call uses the size it was made with, whatever an earlier call
/// grew it to; the default pool grows to honour .workers(n), a user's pool keeps its size.
template <class Progress, class Errors>
pool_choice choose_pool(const policy<threads_backend, Progress, Errors>& p) {
    thread_pool* const chosen = p.backend_options().pool;
    thread_pool& pool = chosen != nullptr ? *chosen : default_pool();
    const std::size_t asked = p.options().workers;
    const std::size_t workers = asked != 0 ? asked : chosen != nullptr ? pool.size() : pool.initial_size();
    if (chosen == nullptr && workers > pool.size()) pool.reserve(workers);
    return {pool, workers};
}

/// The part of run_chunks that shares the work: on the pool, with the policy's chunking, or (per_block != 0)
/// the rest of a small input found expensive, in chunks sized from its measured cost.
template <class Progress, class Body>
PARMAP_NOINLINE void run_shared(const policy<threads_backend, Progress>& p, std::size_t n, Body& body, std::size_t align, std::uint64_t per_block) {
    const policy_options& options = p.options();
    const auto [pool, workers] = choose_pool(p);
    if (per_block == 0) return run_chunks_on(pool, workers, n, options, p.progress_option(), body, align);
    if (workers <= 1) return body(std::size_t{0}, n);
    policy_options rest_options = options;
    rest_options.chunking = rest_chunking(n, align, per_block, workers);
    run_chunks_on(pool, workers, n, rest_options, p.progress_option(), body, align);
}

/// Runs body(begin, end) over the chunks of [0, n), whose boundaries are multiples of `align`.
template <class Progress, class Body>
void run_chunks(const policy<threads_backend, Progress>& p, std::size_t n, Body& body, std::size_t align = 1) {
    const policy_options& options = p.options();
    if (runs_inline<Progress>(n, options)) {
        return run_inline(n, align, options, body, [&](std::size_t offset, std::uint64_t per_block) {
            auto rest = [&](std::size_t begin, std::size_t end) { body(offset + begin, offset + end); };
            run_shared(p, n - offset, rest, align, per_block);
        });
    }
    run_shared(p, n, body, align, 0);
}

} // namespace detail

template <class F>
void thread_pool::parallel_for(std::size_t n, F&& f) {
    auto body = [&f](std::size_t begin, std::size_t end) {
        PARMAP_DETAIL_UNROLLED
        for (std::size_t i = begin; i < end; ++i) f(i);
    };
    detail::run_chunks_on(*this, size(), n, policy_options{}, no_progress{}, body);
}

} // namespace parmap
