// parmap backend: OpenMP. The chunks are parmap's own (detail::chunk_plan), so a chunking option cuts
// the same chunks here as on every backend. A call without stop or progress hands them out with a plain
// worksharing loop, as a hand-written `#pragma omp parallel for` would: static_ chunks with
// schedule(static, 1) (chunk c to thread c % team, no shared state at all) and dynamic ones with
// schedule(dynamic, 1). automatic, guided, and any call with stop or progress, claim chunks through
// detail::chunk_schedule inside a `#pragma omp parallel` team, which works without OMP_CANCELLATION.
// Exceptions are caught inside the region.
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/detail/small_inputs.hpp>
#include <parmap/policy.hpp>

#include <atomic>
#include <cstddef>
#include <thread>
#include <type_traits>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace parmap {

/// @brief The OpenMP backend's tag: it has no options of its own.
struct openmp_backend {};

/// @brief Runs in an OpenMP parallel region; needs OpenMP (-fopenmp, or link parmap::openmp).
inline const policy<openmp_backend> openmp{};

namespace detail {

#if defined(_OPENMP)

/// True for a call (without progress) whose chunks an OpenMP worksharing loop can hand out: no stop
/// token to check between chunks, and a chunking with a fixed numbering of chunks (static_, dynamic).
inline bool runs_as_omp_for(const policy_options& options) noexcept {
    return !options.stop.stop_possible() &&
           (options.chunking.how == chunks::kind::static_ || options.chunking.how == chunks::kind::dynamic);
}

/// All a member of an OpenMP team reads, copied before the region into one cache line (64 bytes with a
/// body of up to three pointers, as parallel_map's: its input, its output and f): the plan's numbered
/// chunks, the body and the job's control. On the 2-core VM each further line of the caller's that a
/// worker reads cost about 60 ns of a 650 ns fork-join.
template <class Body>
struct alignas(64) omp_shared {
    static constexpr std::size_t body_room = 64 - sizeof(numbered_chunks) - sizeof(void*);
    using held_body =
        std::conditional_t<std::is_trivially_copyable_v<Body> && sizeof(Body) <= body_room, Body, Body&>;
    numbered_chunks chunks;
    held_body body;
    job_control<no_progress>* control;
    static_assert(sizeof(numbered_chunks) + sizeof(void*) <= 64, "the chunks and the control fit one line");

    /// Chunk c; a chunk other than its thread's first asks first whether one failed (a worksharing loop
    /// cannot be left early, so the rest are skipped) and finish() rethrows the failure.
    void run(std::size_t c, bool first) {
        if (first || !control->halted()) chunks.run(c, [this](std::size_t b, std::size_t e) { control->run_guarded(body, b, e); });
    }
};

/// Runs the chunks of `plan` (static_ or dynamic) in an OpenMP team of `team` threads, each with its
/// own copy of omp_shared (firstprivate: the copies are made from one line). Each thread's first chunk
/// starts at once, as in any worksharing loop, without reading the job's control: on a 2-core VM that
/// check doubled the fork-join overhead.
template <class Body>
void run_omp_for(const chunk_plan& plan, std::size_t team, job_control<no_progress>& control, Body& body) {
    omp_shared<Body> shared{plan.numbered(), body, &control};
    if (plan.how() == chunks::kind::static_) {
#pragma omp parallel num_threads(static_cast<int>(team)) firstprivate(shared)
        {
            worker_scope scope(static_cast<std::size_t>(omp_get_thread_num()));
            const std::size_t count = shared.chunks.count(), threads = static_cast<std::size_t>(omp_get_num_threads());
#pragma omp for schedule(static, 1) nowait
            for (std::size_t c = 0; c < count; ++c) shared.run(c, c < threads);
        }
    } else {
#pragma omp parallel num_threads(static_cast<int>(team)) firstprivate(shared)
        {
            worker_scope scope(static_cast<std::size_t>(omp_get_thread_num()));
            const std::size_t count = shared.chunks.count();
            bool first = true;
#pragma omp for schedule(dynamic, 1) nowait
            for (std::size_t c = 0; c < count; ++c) {
                shared.run(c, first);
                first = false;
            }
        }
    }
    control.finish();
}

/// Runs the chunks of `schedule` in an OpenMP team of `team` threads that claim them as they go; the
/// caller (thread 0) reports progress, also while the others finish their last chunks.
template <class Progress, class Body>
void run_omp_team(chunk_schedule& schedule, std::size_t team, job_control<Progress>& control, Body& body) {
    const bool reports = control.report_interval().count() != 0;
    std::atomic<std::size_t> left{0};  // team members other than the caller that have finished (when reporting)
#pragma omp parallel num_threads(static_cast<int>(team))
    {
        const std::size_t me = static_cast<std::size_t>(omp_get_thread_num());
        worker_scope scope(me);
        schedule.work(
            [&](std::size_t begin, std::size_t end) {
                control.run_guarded(body, begin, end);
                if (me == 0) control.report();
            },
            [&] { return control.halted(); }, me);
        if (reports) {
            if (me != 0) {
                left.fetch_add(1, std::memory_order_release);
            } else {
                // The caller keeps reporting while the others finish their last chunks.
                const std::size_t others = static_cast<std::size_t>(omp_get_num_threads()) - 1;
                while (left.load(std::memory_order_acquire) < others) {
                    control.report();
                    std::this_thread::yield();
                }
            }
        }
    }
}

#endif

/// Runs body(begin, end) over the chunks of [0, n), whose boundaries are multiples of `align`.
template <class Progress, class Body>
void run_chunks(const policy<openmp_backend, Progress>& p, std::size_t n, Body& body, std::size_t align = 1) {
#if !defined(_OPENMP)
    static_assert(dependent_false<Body>,
                  "Note to the user: parmap::openmp needs OpenMP: compile with -fopenmp or link parmap::openmp in CMake.");
    (void)p, (void)n, (void)body, (void)align;
#else
    const policy_options& options = p.options();
    if (runs_inline<Progress>(n, options)) {
        return run_inline(n, align, options, body, [&](std::size_t offset, std::uint64_t per_block) {
            const std::size_t workers = options.workers != 0 ? options.workers : static_cast<std::size_t>(omp_get_max_threads());
            auto rest = [&](std::size_t begin, std::size_t end) { body(offset + begin, offset + end); };
            if (workers <= 1) return rest(std::size_t{0}, n - offset);
            const chunk_plan plan(n - offset, rest_chunking(n - offset, align, per_block, workers), workers, align);
            const no_progress none;
            job_control<no_progress> control(n - offset, options, none);
            run_omp_for(plan, plan.max_participants(), control, rest);  // dynamic chunks: an omp for, never inline again
        });
    }
    const std::size_t workers = options.workers != 0 ? options.workers : static_cast<std::size_t>(omp_get_max_threads());
    if constexpr (std::is_same_v<Progress, no_progress>) {
        if (runs_as_omp_for(options)) {
            const chunk_plan plan(n, options.chunking, workers, align);
            const std::size_t team = plan.max_participants();
            if (team <= 1) return body(std::size_t{0}, n);  // one chunk, or one worker asked for
            job_control<no_progress> control(n, options, p.progress_option());
            return run_omp_for(plan, team, control, body);
        }
    }
    chunk_schedule schedule(n, options.chunking, workers, align);
    job_control<Progress> control(n, options, p.progress_option());
    std::size_t team = schedule.max_participants();
    if (team <= 1) return control.run_alone(schedule, body);
    if (control.halted()) return control.finish();
    run_omp_team(schedule, team, control, body);
    control.finish();
#endif
}

} // namespace detail
} // namespace parmap
