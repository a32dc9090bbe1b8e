// parmap backend: threads. The chunks run on the calling thread and the threads of a parmap::thread_pool
// (the default pool unless `.on(pool)`), claimed through the shared chunk schedule.
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/policy.hpp>
#include <parmap/thread_pool.hpp>

#include <cstddef>

namespace parmap::detail {

/// Runs body(begin, end) over the chunks of [0, n), whose boundaries are multiples of `align`.
template <class Progress, class Body>
void run_chunks(const policy<threads_backend, Progress>& p, std::size_t n, Body& body, std::size_t align = 1) {
    const policy_options& options = p.options();
    if (runs_inline<Progress>(n, options)) return body(std::size_t{0}, n);
    thread_pool& pool = options.pool != nullptr ? *options.pool : default_pool();
    std::size_t workers = options.workers != 0 ? options.workers : pool.size();
    // The default pool grows to honour .workers(n); a user's pool keeps the size it was given.
    if (options.pool == nullptr && workers > pool.size()) pool.reserve(workers);
    run_chunks_on(pool, workers, n, options, p.progress_option(), body, align);
}

} // namespace parmap::detail
