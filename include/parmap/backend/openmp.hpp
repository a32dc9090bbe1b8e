// parmap backend: OpenMP. The chunks run in a `#pragma omp parallel` team, claimed through the same
// chunk schedule as every backend, so a chunking option cuts the same chunks here as elsewhere, and
// stop and progress work without OMP_CANCELLATION. Exceptions are caught inside the region.
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/policy.hpp>

#include <atomic>
#include <cstddef>
#include <thread>

#if defined(_OPENMP)
#include <omp.h>
#endif

namespace parmap::detail {

/// Runs body(begin, end) over the chunks of [0, n), whose boundaries are multiples of `align`.
template <class Progress, class Body>
void run_chunks(const policy<openmp_backend, Progress>& p, std::size_t n, Body& body, std::size_t align = 1) {
#if !defined(_OPENMP)
    static_assert(dependent_false<Body>,
                  "Note to the user: parmap::openmp needs OpenMP: compile with -fopenmp or link parmap::openmp in CMake.");
    (void)p, (void)n, (void)body, (void)align;
#else
    const policy_options& options = p.options();
    if (runs_inline<Progress>(n, options)) return body(std::size_t{0}, n);
    std::size_t workers = options.workers != 0 ? options.workers : static_cast<std::size_t>(omp_get_max_threads());
    chunk_schedule schedule(n, options.chunking, workers, align);
    job_control<Progress> control(n, options, p.progress_option());
    std::size_t team = schedule.max_participants();
    if (team <= 1) return control.run_alone(schedule, body);
    if (control.halted()) return control.finish();
    std::atomic<std::size_t> left{0};  // team members other than the caller that have finished
#pragma omp parallel num_threads(static_cast<int>(team))
    {
        const std::size_t me = static_cast<std::size_t>(omp_get_thread_num());
        worker_scope scope(me);
        schedule.work(
            [&](std::size_t begin, std::size_t end) {
                control.run_chunk(body, begin, end);
                if (me == 0) control.report();
            },
            [&] { return control.halted(); }, me);
        if (me != 0) {
            left.fetch_add(1, std::memory_order_release);
        } else if (control.report_interval().count() != 0) {
            // The caller keeps reporting while the others finish their last chunks.
            const std::size_t others = static_cast<std::size_t>(omp_get_num_threads()) - 1;
            while (left.load(std::memory_order_acquire) < others) {
                control.report();
                std::this_thread::yield();
            }
        }
    }
    control.finish();
#endif
}

} // namespace parmap::detail
