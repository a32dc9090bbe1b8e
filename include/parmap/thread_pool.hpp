// parmap: a fork-join thread pool. Persistent workers spin briefly after a job, then sleep; the calling
// thread always runs chunks of its own job, so a job finishes even when every worker is busy, which
// is why nested calls cannot deadlock. Several threads may run jobs on one pool at once.
//
//   parmap::thread_pool pool(4);                                    // 4 threads: the caller and 3 workers
//   pool.parallel_for(n, [&](std::size_t i) { y[i] = f(x[i]); });   // usable on its own
//   auto ys = parmap::parallel_map(parmap::threads.on(pool), xs, f); // or through a policy
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace parmap {
namespace detail {

/// A job as the pool sees it: participants call work() until it returns.
class pool_task {
public:
    /// Runs chunks until none are left; `participant` is 0 for the caller, 1, 2, ... for joiners.
    virtual void work(std::size_t participant) = 0;
    virtual bool exhausted() const noexcept = 0;
    /// The caller reports progress this often while it waits; zero: no reports.
    virtual std::chrono::nanoseconds report_interval() const noexcept = 0;
    virtual void report() noexcept = 0;

    std::size_t joiners_wanted = 0;        // pool threads that may join; guarded by the pool mutex
    std::size_t joiners = 0;               // pool threads that did join; guarded by the pool mutex
    std::atomic<std::size_t> active{0};    // joiners still inside work()

protected:
    ~pool_task() = default;
};

/// The CPUs this process may use: its affinity mask, capped by a cgroup CPU quota where one is set.
inline std::size_t available_cpus() {
    std::size_t cpus = std::max(1u, std::thread::hardware_concurrency());
#if defined(__linux__)
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
    // A CPU quota: cgroup v2 "cpu.max" holds "<quota> <period>" or "max <period>"; cgroup v1 keeps the
    // two numbers in cpu.cfs_quota_us (-1: none) and cpu.cfs_period_us.
    double quota = -1, period = 0;
    std::ifstream v2("/sys/fs/cgroup/cpu.max");
    std::string text;
    if (v2 >> text >> period && text != "max") {
        quota = std::strtod(text.c_str(), nullptr);
    } else if (std::ifstream q("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), p("/sys/fs/cgroup/cpu/cpu.cfs_period_us"); q >> quota && p >> period) {
    }
    if (quota > 0 && period > 0) cpus = std::min(cpus, static_cast<std::size_t>(std::max(1.0, quota / period + 0.999)));
#endif
    return cpus;
}

} // namespace detail

/// @brief A fork-join pool: a job runs on the calling thread and up to size()-1 pool threads.
class thread_pool {
public:
    /// @brief The default size: PARMAP_NUM_THREADS if set, else the CPUs this process may use.
    static std::size_t default_size() {
        if (const char* env = std::getenv("PARMAP_NUM_THREADS")) {
            char* end = nullptr;
            unsigned long n = std::strtoul(env, &end, 10);
            if (end != env && *end == '\0' && n > 0) return static_cast<std::size_t>(n);
        }
        return detail::available_cpus();
    }

    /// @brief A pool whose jobs run on up to `size` threads: the caller and size-1 workers it starts now.
    explicit thread_pool(std::size_t size = default_size()) { reserve(size); }

    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;

    /// @brief Stops and joins the workers. No job may be running on the pool.
    ~thread_pool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_.store(true, std::memory_order_release);
            epoch_.fetch_add(1, std::memory_order_seq_cst);
        }
        wake_.notify_all();
        for (std::thread& t : threads_) t.join();
    }

    /// @brief How many threads can run one job at once, the calling thread included.
    std::size_t size() const noexcept { return size_.load(std::memory_order_acquire); }

    /// @brief Grows the pool to at least `size` threads (the caller included); never shrinks it.
    void reserve(std::size_t size) {
        std::lock_guard<std::mutex> lock(mutex_);
        while (threads_.size() + 1 < size) {
            std::size_t index = threads_.size() + 1;
            threads_.emplace_back([this, index] { worker_main(index); });
            size_.store(threads_.size() + 1, std::memory_order_release);
        }
        if (size_.load(std::memory_order_relaxed) == 0) size_.store(1, std::memory_order_release);
    }

    /// @brief Calls f(i) for every i in [0, n) on the caller and the pool's threads; rethrows the first
    /// exception by index. Small n runs inline (automatic chunking).
    template <class F>
    void parallel_for(std::size_t n, F&& f);

    /// Runs `task` on the calling thread and up to participants-1 pool threads; returns once all left it.
    void run(detail::pool_task& task, std::size_t participants);

private:
    void worker_main(std::size_t index);
    detail::pool_task* try_join(std::size_t& participant);
    void leave(detail::pool_task& task);
    void wait_for_change(std::uint64_t seen);
    void wait_idle(detail::pool_task& task);

    // How long an idle thread spins before it sleeps: long enough to catch back-to-back jobs,
    // short enough not to steal a core for long from other programs.
    static constexpr std::chrono::microseconds spin_time{200};

    std::mutex mutex_;
    std::condition_variable wake_;  // idle workers sleep here
    std::condition_variable done_;  // callers whose joiners are still busy sleep here
    std::vector<detail::pool_task*> tasks_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::size_t> size_{0};
    std::atomic<std::uint64_t> epoch_{0};  // bumped whenever a task is posted
    std::atomic<std::size_t> spinning_{0};
    std::atomic<std::size_t> sleeping_{0};
    std::atomic<std::size_t> sleeping_callers_{0};
};

inline void thread_pool::run(detail::pool_task& task, std::size_t participants) {
    participants = std::min(participants, size());
    if (participants <= 1) {
        task.work(0);
        return;
    }
    task.joiners_wanted = participants - 1;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        tasks_.push_back(&task);
        epoch_.fetch_add(1, std::memory_order_seq_cst);
    }
    // Spinning workers see the new epoch by themselves; wake sleepers only when they are too few.
    if (sleeping_.load(std::memory_order_seq_cst) > 0 && spinning_.load(std::memory_order_seq_cst) < task.joiners_wanted) {
        std::lock_guard<std::mutex> lock(mutex_);
        wake_.notify_all();
    }
    struct unpost {
        thread_pool& pool;
        detail::pool_task& task;
        ~unpost() {
            {
                std::lock_guard<std::mutex> lock(pool.mutex_);
                pool.tasks_.erase(std::find(pool.tasks_.begin(), pool.tasks_.end(), &task));
            }
            pool.wait_idle(task);
        }
    } guard{*this, task};
    task.work(0);
}

inline detail::pool_task* thread_pool::try_join(std::size_t& participant) {
    std::lock_guard<std::mutex> lock(mutex_);
    for (detail::pool_task* task : tasks_) {
        if (task->joiners < task->joiners_wanted && !task->exhausted()) {
            participant = ++task->joiners;
            task->active.fetch_add(1, std::memory_order_seq_cst);
            return task;
        }
    }
    return nullptr;
}

inline void thread_pool::leave(detail::pool_task& task) {
    // The caller may return as soon as `active` reaches zero: touch only the pool after this line.
    task.active.fetch_sub(1, std::memory_order_seq_cst);
    if (sleeping_callers_.load(std::memory_order_seq_cst) > 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_all();
    }
}

inline void thread_pool::worker_main(std::size_t index) {
    detail::worker_scope scope(index);
    for (;;) {
        std::uint64_t seen = epoch_.load(std::memory_order_seq_cst);
        std::size_t participant = 0;
        if (detail::pool_task* task = try_join(participant)) {
            task->work(participant);
            leave(*task);
            continue;
        }
        if (stopping_.load(std::memory_order_acquire)) return;
        wait_for_change(seen);
    }
}

inline void thread_pool::wait_for_change(std::uint64_t seen) {
    using clock = std::chrono::steady_clock;
    spinning_.fetch_add(1, std::memory_order_seq_cst);
    auto deadline = clock::now() + spin_time;
    for (unsigned i = 1;; ++i) {
        if (epoch_.load(std::memory_order_acquire) != seen) {
            spinning_.fetch_sub(1, std::memory_order_seq_cst);
            return;
        }
        detail::cpu_relax();
        if (i % 64 == 0 && clock::now() > deadline) break;
    }
    sleeping_.fetch_add(1, std::memory_order_seq_cst);
    spinning_.fetch_sub(1, std::memory_order_seq_cst);
    {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return epoch_.load(std::memory_order_seq_cst) != seen; });
    }
    sleeping_.fetch_sub(1, std::memory_order_seq_cst);
}

inline void thread_pool::wait_idle(detail::pool_task& task) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + spin_time;
    for (unsigned i = 1; task.active.load(std::memory_order_acquire) != 0; ++i) {
        detail::cpu_relax();
        if (i % 64 == 0) {
            task.report();
            if (clock::now() > deadline) break;
        }
    }
    if (task.active.load(std::memory_order_seq_cst) == 0) return;
    sleeping_callers_.fetch_add(1, std::memory_order_seq_cst);
    {
        std::unique_lock<std::mutex> lock(mutex_);
        auto interval = task.report_interval();
        while (task.active.load(std::memory_order_seq_cst) != 0) {
            if (interval.count() == 0) {
                done_.wait(lock);
            } else {
                done_.wait_for(lock, interval);
                lock.unlock();
                task.report();
                lock.lock();
            }
        }
    }
    sleeping_callers_.fetch_sub(1, std::memory_order_seq_cst);
}

/// @brief The pool that parmap::threads uses unless `.on(pool)` says otherwise; created on first use
/// with thread_pool::default_size() threads, and grown when a call asks for more `.workers(n)`.
inline thread_pool& default_pool() {
    static thread_pool pool;
    return pool;
}

namespace detail {

/// One call's chunks as a pool task: each participant claims chunks until none are left.
template <class Progress, class Body>
class chunk_task final : public pool_task {
public:
    chunk_task(chunk_schedule& schedule, job_control<Progress>& control, Body& body) noexcept
        : schedule_(schedule), control_(control), body_(body) {}

    void work(std::size_t participant) override {
        schedule_.work(
            [&](std::size_t begin, std::size_t end) {
                control_.run_chunk(body_, begin, end);
                if (participant == 0) control_.report();
            },
            [&] { return control_.halted(); }, participant);
    }
    bool exhausted() const noexcept override { return schedule_.exhausted(); }
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
    pool.run(task, schedule.max_participants());
    control.finish();
}

} // namespace detail

template <class F>
void thread_pool::parallel_for(std::size_t n, F&& f) {
    auto body = [&f](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) f(i);
    };
    detail::run_chunks_on(*this, size(), n, policy_options{}, no_progress{}, body);
}


} // namespace parmap
