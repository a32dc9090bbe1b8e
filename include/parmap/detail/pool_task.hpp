// parmap: a job as a parmap::thread_pool sees it (pool_task), and the door through which the threads
// backend and imap hand one to a pool (pool_access): thread_pool::run, post and join take this internal
// type, so they are not public.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>

namespace parmap {

class thread_pool;

namespace detail {

/// A job as the pool sees it: its participants call work() until it returns.
class pool_task {
public:
    /// Runs chunks until none are left; `participant` is 0 for the caller, 1, 2, ... for the helpers.
    virtual void work(std::size_t participant) = 0;
    /// The caller reports progress this often while it waits; zero: no reports.
    virtual std::chrono::nanoseconds report_interval() const noexcept = 0;
    virtual void report() noexcept = 0;

    std::atomic<std::size_t> active{0};  // helpers handed the job that have not left it yet

protected:
    ~pool_task() = default;
};

/// How the threads backend hands a job to a pool (thread_pool::run is not public: it takes internal types).
struct pool_access {
    static void run(thread_pool& pool, pool_task& task, std::size_t participants);
    static std::size_t post(thread_pool& pool, pool_task& task, std::size_t helpers);
    static void join(thread_pool& pool, pool_task& task);
};

} // namespace detail
} // namespace parmap
