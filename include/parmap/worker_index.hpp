// parmap: which worker runs the calling code, for per-worker scratch space.
//
//   std::vector<scratch> per_worker(parmap::thread_pool::default_size());
//   parmap::parallel_for(parmap::threads, n, [&](std::size_t i) { use(per_worker[parmap::worker_index()], i); });
#pragma once

#include <cstddef>

namespace parmap {
namespace detail {

inline thread_local std::size_t current_worker = 0;

/// Sets worker_index() for the running code, restoring the outer value on exit (nested calls).
class worker_scope {
public:
    explicit worker_scope(std::size_t index) noexcept : saved_(current_worker) { current_worker = index; }
    ~worker_scope() { current_worker = saved_; }
    worker_scope(const worker_scope&) = delete;
    worker_scope& operator=(const worker_scope&) = delete;

private:
    std::size_t saved_;
};

/// Tells the core that this thread is spinning, so a sibling hyperthread gets the pipeline.
inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield" ::: "memory");
#endif
}

} // namespace detail

/// @brief The index of the worker running the calling code: a thread_pool's threads are 1..size()-1, a
/// thread outside any pool is 0 (the caller keeps its own index while it takes part in its call), and
/// inside an OpenMP call it is omp_get_thread_num().
inline std::size_t worker_index() noexcept { return detail::current_worker; }

} // namespace parmap
