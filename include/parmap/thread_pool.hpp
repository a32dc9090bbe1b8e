// parmap: a fork-join thread pool. A caller hands its job to idle workers through each one's mailbox (a
// cache line the worker spins on, so a hand-off costs one cache-line transfer and no lock); workers
// spin after a job (briefly, or an eighth of a long job: detail/waiting.hpp), then sleep. The calling
// thread always runs chunks of its own job, so a job finishes even when every worker is busy, which is
// why nested calls cannot deadlock. Several threads may run jobs on one pool at once: each claims only
// idle workers.
//
//   parmap::thread_pool pool(4);                                    // 4 threads: the caller and 3 workers
//   pool.parallel_for(n, [&](std::size_t i) { y[i] = f(x[i]); });   // usable on its own
//   auto ys = parmap::parallel_map(parmap::threads.on(pool), xs, f); // or through a policy
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/detail/pool_task.hpp>
#include <parmap/detail/process.hpp>
#include <parmap/detail/waiting.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

namespace parmap {

/// @brief A fork-join pool: a job runs on the calling thread and up to size()-1 pool threads.
class thread_pool {
public:
    /// @brief The default size: PARMAP_NUM_THREADS if set, else the CPUs this process may use.
    /// A value that is not a whole number from 1 to max_size is ignored, with one line on stderr naming it.
    static std::size_t default_size() { return detail::default_thread_count(); }

    /// @brief The most threads a pool can have.
    static constexpr std::size_t max_size = detail::max_threads;

    /// @brief A pool whose jobs run on up to `size` threads: the caller and size-1 workers it starts now.
    explicit thread_pool(std::size_t size = default_size())
        : workers_(new worker*[max_size]), initial_size_(std::max<std::size_t>(1, std::min(size, max_size))),
          generation_(detail::fork_generation.load(std::memory_order_relaxed)) {
        detail::watch_forks();
        reserve(size);
    }

    thread_pool(const thread_pool&) = delete;
    thread_pool& operator=(const thread_pool&) = delete;

    /// @brief Stops and joins the workers. No job may be running on the pool. In a forked child, whose copy
    /// of the pool has no threads, it returns at once (leaving the copy's bookkeeping to the process's end).
    ~thread_pool() {
        if (orphaned()) {
            detail::fork_orphans().push_back(workers_.release());
            return;
        }
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

    /// @brief The size the pool was made with; reserve() may have grown size() since.
    std::size_t initial_size() const noexcept { return initial_size_; }

    /// @brief True in a process forked from the one that made the pool: its threads stayed in the parent,
    /// so jobs run on the calling thread alone.
    bool orphaned() const noexcept { return generation_ != detail::fork_generation.load(std::memory_order_relaxed); }

    /// @brief Grows the pool to at least `size` threads (the caller included, at most max_size); never shrinks it.
    void reserve(std::size_t size) {
        std::lock_guard<std::mutex> lock(mutex_);
        for (std::size_t count = count_.load(std::memory_order_relaxed); count + 1 < std::min(size, max_size); ++count) {
            worker* w = new worker;
            w->thread = std::thread([this, w, count] { worker_main(*w, count + 1); });
            workers_[count] = w;
            count_.store(count + 1, std::memory_order_release);
        }
        spins_long_.store(count_.load(std::memory_order_relaxed) < detail::available_cpus(), std::memory_order_relaxed);
    }

    /// @brief Calls f(i) for every i in [0, n) on the caller and the pool's threads; rethrows the first
    /// exception by index. Small n runs inline (automatic chunking).
    template <class F>
    void parallel_for(std::size_t n, F&& f);

private:
    friend struct detail::pool_access;

    /// Runs `task` on the calling thread and up to participants-1 idle pool threads; returns once all left it.
    void run(detail::pool_task& task, std::size_t participants);

    /// Hands `task` to up to `helpers` idle pool threads without waiting and returns how many took it (0
    /// when all are busy, or in a forked child). The caller must call join(task) before `task` dies.
    /// imap's streams post this way while their consumer runs, and post again when helpers left.
    std::size_t post(detail::pool_task& task, std::size_t helpers);

    /// Takes back posts of `task` that no thread has picked up yet, then waits until every thread handed
    /// `task` has left it; the caller's own work on it began at tick `work_began` (0: unknown).
    void join(detail::pool_task& task, std::uint64_t work_began = 0);

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
    /// Waits for a job; `began`: when the job just run came (0: none), then about when this one came.
    std::uintptr_t wait_for_mail(worker& self, std::uint64_t& began);
    void wake(worker& w);
    void leave(detail::pool_task& task);
    void wait_idle(detail::pool_task& task, std::uint64_t work_began);

    std::unique_ptr<worker*[]> workers_;  // [0, count_) are set and never change; grown under mutex_
    std::size_t initial_size_;
    unsigned generation_;  // detail::fork_generation when the pool was made
    std::atomic<std::size_t> count_{0};
    std::mutex mutex_;
    std::condition_variable done_;  // callers whose helpers are still busy sleep here
    std::atomic<std::size_t> sleeping_callers_{0};
    std::atomic<bool> spins_long_{true};  // no more threads than CPUs: long jobs are followed by long spins
};

inline void detail::pool_access::run(thread_pool& pool, pool_task& task, std::size_t participants) { pool.run(task, participants); }
inline std::size_t detail::pool_access::post(thread_pool& pool, pool_task& task, std::size_t helpers) { return pool.post(task, helpers); }
inline void detail::pool_access::join(thread_pool& pool, pool_task& task) { pool.join(task); }

inline std::size_t thread_pool::post(detail::pool_task& task, std::size_t helpers) {
    if (orphaned()) return 0;  // a forked child: the workers are the parent's
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

inline void thread_pool::join(detail::pool_task& task, std::uint64_t work_began) {
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
    wait_idle(task, spins_long_.load(std::memory_order_relaxed) ? work_began : 0);
}

inline void thread_pool::run(detail::pool_task& task, std::size_t participants) {
    struct join_helpers {
        thread_pool& pool;
        detail::pool_task& task;
        bool posted;
        std::uint64_t began;  // read after posting, while the helpers pick the job up
        ~join_helpers() {
            if (posted) pool.join(task, began);
        }
    } guard{*this, task, post(task, participants - 1) != 0, detail::ticks()};
    task.work(0);
}

inline void thread_pool::worker_main(worker& self, std::size_t index) {
    detail::worker_scope scope(index);
    std::uint64_t began = 0;  // about when the job in hand came, in ticks (0: no job run since the last wait)
    for (;;) {
        std::uintptr_t mail = wait_for_mail(self, began);
        if (mail == stop) return;
        // Pick the job up (mark it running) unless its caller took it back first.
        if (!self.mailbox.compare_exchange_strong(mail, mail | running, std::memory_order_acquire)) {
            began = 0;
            continue;
        }
        auto* task = reinterpret_cast<detail::pool_task*>(mail);
        task->work(self.participant);
        // Idle first, then leave: once the job's last helper leaves, its caller may destroy the pool,
        // whose destructor posts `stop` here, and that must not be overwritten. A new job may be posted
        // as soon as this is idle; leave() touches only `task` and the pool, never `self`.
        self.mailbox.store(idle, std::memory_order_release);
        leave(*task);
    }
}

inline std::uintptr_t thread_pool::wait_for_mail(worker& self, std::uint64_t& began) {
    for (;; began = 0) {
        detail::spin_deadline deadline(spins_long_.load(std::memory_order_relaxed) ? began : 0);
        for (unsigned i = 1;; ++i) {
            const std::uintptr_t mail = self.mailbox.load(std::memory_order_acquire);
            if (mail > claimed && (mail & running) == 0) {
                began = deadline.last_tick();  // within 64 spins of the mail's arrival, and no clock read here
                return mail;
            }
            detail::cpu_relax();
            if (i % 64 == 0 && deadline.passed()) break;
        }
        std::unique_lock<std::mutex> lock(self.mutex);
        self.sleeping.store(true, std::memory_order_seq_cst);
        if (self.mailbox.load(std::memory_order_seq_cst) <= claimed) self.wakeup.wait(lock);
        self.sleeping.store(false, std::memory_order_relaxed);
        const std::uintptr_t mail = self.mailbox.load(std::memory_order_acquire);
        if (mail > claimed) {
            began = detail::ticks();
            return mail;
        }
        // Woken for a job its caller finished alone and took back (or spuriously): calls are coming,
        // and a wake-up takes longer than a short call, so spin again rather than sleep through the next
        // one too. Sleeping on here made a loop of short calls run on the caller alone, call after call.
    }
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

inline void thread_pool::wait_idle(detail::pool_task& task, std::uint64_t work_began) {
    detail::spin_deadline deadline(work_began);
    for (unsigned i = 1; task.active.load(std::memory_order_acquire) != 0; ++i) {
        detail::cpu_relax();
        if (i % 64 == 0) {
            task.report();
            if (deadline.passed()) break;
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
/// It is never destroyed, so calls from static destructors and from threads still running after main
/// returns find it alive; a forked child gets a pool of its own on first use.
inline thread_pool& default_pool() {
    static std::atomic<thread_pool*> current{nullptr};
    thread_pool* pool = current.load(std::memory_order_acquire);
    if (pool != nullptr && !pool->orphaned()) return *pool;
    auto* fresh = new thread_pool;
    if (current.compare_exchange_strong(pool, fresh, std::memory_order_acq_rel)) {
        if (pool != nullptr) detail::fork_orphans().push_back(pool);  // the parent's copy, kept as it is
        return *fresh;
    }
    delete fresh;  // another thread made one first
    return *pool;
}

} // namespace parmap

// The pool's job for one call (chunk_task, run_chunks_on) and parallel_for's body live with the threads
// backend, which they are; thread_pool.hpp alone still gives the whole pool.
#include <parmap/backend/threads.hpp>
