// parmap: a fork-join thread pool. A caller hands its job to idle workers through each one's mailbox (a
// cache line the worker spins on, so a hand-off costs one cache-line transfer and no lock); workers
// spin briefly after a job, then sleep. The calling thread always runs chunks of its own job, so a job
// finishes even when every worker is busy, which is why nested calls cannot deadlock. Several threads
// may run jobs on one pool at once: each claims only idle workers.
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
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace parmap {
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

    /// @brief The most threads a pool can have.
    static constexpr std::size_t max_size = 4096;

    /// @brief A pool whose jobs run on up to `size` threads: the caller and size-1 workers it starts now.
    explicit thread_pool(std::size_t size = default_size()) : workers_(new worker*[max_size]) { reserve(size); }

    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;

    /// @brief Stops and joins the workers. No job may be running on the pool.
    ~thread_pool() {
        const std::size_t count = count_.load(std::memory_order_acquire);
        for (std::size_t k = 0; k < count; ++k) {
            workers_[k]->mailbox.store(stop, std::memory_order_seq_cst);
            wake(*workers_[k]);
        }
        for (std::size_t k = 0; k < count; ++k) {
            workers_[k]->thread.join();
            delete workers_[k];
        }
    }

    /// @brief How many threads can run one job at once, the calling thread included.
    std::size_t size() const noexcept { return count_.load(std::memory_order_acquire) + 1; }

    /// @brief Grows the pool to at least `size` threads (the caller included, at most max_size); never shrinks it.
    void reserve(std::size_t size) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (std::size_t count = count_.load(std::memory_order_relaxed); count + 1 < std::min(size, max_size); ++count) {
            worker* w = new worker;
            w->thread = std::thread([this, w, count] { worker_main(*w, count + 1); });
            workers_[count] = w;
            count_.store(count + 1, std::memory_order_release);
        }
    }

    /// @brief Calls f(i) for every i in [0, n) on the caller and the pool's threads; rethrows the first
    /// exception by index. Small n runs inline (automatic chunking).
    template <class F>
    void parallel_for(std::size_t n, F&& f);

    /// Runs `task` on the calling thread and up to participants-1 idle pool threads; returns once all left it.
    void run(detail::pool_task& task, std::size_t participants);

    /// @brief Hands `task` to up to `helpers` idle pool threads without waiting and returns how many took it
    /// (0 when all are busy). The caller must call join(task) before `task` dies. imap's streams post this
    /// way while their consumer runs, and post again when helpers left for lack of room.
    std::size_t post(detail::pool_task& task, std::size_t helpers);

    /// @brief Takes back posts of `task` that no thread has picked up yet, then waits until every thread
    /// handed `task` has left it.
    void join(detail::pool_task& task);

private:
    // A worker's mailbox holds idle, claimed (a caller is posting to it), stop, or the job's address,
    // with the low bit `running` set once the worker has picked it up.
    static constexpr std::uintptr_t idle = 0, claimed = 2, stop = 4, running = 1;

    struct alignas(64) worker {
        std::atomic<std::uintptr_t> mailbox{idle};
        std::size_t participant = 0;  // written by the caller that claimed the mailbox, before it posts the job
        std::atomic<bool> sleeping{false};
        alignas(64) std::mutex mutex;
        std::condition_variable wakeup;
        std::thread thread;
    };

    void worker_main(worker& self, std::size_t index);
    std::uintptr_t wait_for_mail(worker& self);
    void wake(worker& w);
    void leave(detail::pool_task& task);
    void wait_idle(detail::pool_task& task);

    // How long an idle thread spins before it sleeps: long enough to catch back-to-back jobs,
    // short enough not to steal a core for long from other programs.
    static constexpr std::chrono::microseconds spin_time{200};

    std::unique_ptr<worker*[]> workers_;  // [0, count_) are set and never change; grown under mutex_
    std::atomic<std::size_t> count_{0};
    std::mutex mutex_;
    std::condition_variable done_;  // callers whose helpers are still busy sleep here
    std::atomic<std::size_t> sleeping_callers_{0};
};

inline std::size_t thread_pool::post(detail::pool_task& task, std::size_t helpers) {
    const std::size_t count = count_.load(std::memory_order_acquire);
    std::size_t posted = 0;
    // Claim idle workers: spinning ones first (they start at once), then sleeping ones (a wake-up call).
    for (int pass = 0; pass < 2; ++pass) {
        for (std::size_t k = 0; k < count && posted < helpers; ++k) {
            worker& w = *workers_[k];
            if (pass == 0 && w.sleeping.load(std::memory_order_relaxed)) continue;
            std::uintptr_t expected = idle;
            if (!w.mailbox.compare_exchange_strong(expected, claimed, std::memory_order_acquire, std::memory_order_relaxed)) continue;
            w.participant = ++posted;
            task.active.fetch_add(1, std::memory_order_relaxed);
            w.mailbox.store(reinterpret_cast<std::uintptr_t>(&task), std::memory_order_seq_cst);
            if (w.sleeping.load(std::memory_order_seq_cst)) wake(w);
        }
    }
    return posted;
}

inline void thread_pool::join(detail::pool_task& task) {
    // A helper that has not picked the job up yet is told to forget it, so a job the caller
    // finished alone (a tiny one) returns at once instead of waiting for a wake-up.
    const auto posted = reinterpret_cast<std::uintptr_t>(&task);
    const std::size_t count = count_.load(std::memory_order_acquire);
    for (std::size_t k = 0; k < count && task.active.load(std::memory_order_relaxed) != 0; ++k) {
        std::uintptr_t expected = posted;
        if (workers_[k]->mailbox.compare_exchange_strong(expected, idle, std::memory_order_relaxed)) {
            task.active.fetch_sub(1, std::memory_order_relaxed);
        }
    }
    wait_idle(task);
}

inline void thread_pool::run(detail::pool_task& task, std::size_t participants) {
    struct join_helpers {
        thread_pool& pool;
        detail::pool_task& task;
        bool posted;
        ~join_helpers() {
            if (posted) pool.join(task);
        }
    } guard{*this, task, post(task, participants - 1) != 0};
    task.work(0);
}

inline void thread_pool::worker_main(worker& self, std::size_t index) {
    detail::worker_scope scope(index);
    for (;;) {
        std::uintptr_t mail = wait_for_mail(self);
        if (mail == stop) return;
        // Pick the job up (mark it running) unless its caller took it back first.
        if (!self.mailbox.compare_exchange_strong(mail, mail | running, std::memory_order_acquire)) continue;
        auto* task = reinterpret_cast<detail::pool_task*>(mail);
        task->work(self.participant);
        // Idle first, then leave: once the job's last helper leaves, its caller may destroy the pool,
        // whose destructor posts `stop` here, and that must not be overwritten. A new job may be posted
        // as soon as this is idle; leave() touches only `task` and the pool, never `self`.
        self.mailbox.store(idle, std::memory_order_release);
        leave(*task);
    }
}

inline std::uintptr_t thread_pool::wait_for_mail(worker& self) {
    using clock = std::chrono::steady_clock;
    auto deadline = clock::now() + spin_time;
    for (unsigned i = 1;; ++i) {
        std::uintptr_t mail = self.mailbox.load(std::memory_order_acquire);
        if (mail > claimed && (mail & running) == 0) return mail;
        detail::cpu_relax();
        if (i % 64 == 0 && clock::now() > deadline) break;
    }
    std::unique_lock<std::mutex> lock(self.mutex);
    self.sleeping.store(true, std::memory_order_seq_cst);
    std::uintptr_t mail = idle;
    while ((mail = self.mailbox.load(std::memory_order_seq_cst)) <= claimed) self.wakeup.wait(lock);
    // (A job posted and taken back while this thread slept leaves idle, so it sleeps on.)
    self.sleeping.store(false, std::memory_order_relaxed);
    return mail;
}

inline void thread_pool::wake(worker& w) {
    std::lock_guard<std::mutex> lock(w.mutex);
    w.wakeup.notify_one();
}

inline void thread_pool::leave(detail::pool_task& task) {
    // The caller may return as soon as `active` reaches zero: touch only the pool after this line.
    task.active.fetch_sub(1, std::memory_order_seq_cst);
    if (sleeping_callers_.load(std::memory_order_seq_cst) > 0) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_all();
    }
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
