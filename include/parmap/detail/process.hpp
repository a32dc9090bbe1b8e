// parmap: what the thread pool asks of the process it runs in: how many CPUs it may use, what the user
// said in PARMAP_NUM_THREADS, and whether it has been forked since a pool was made.
#pragma once

#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif
#if defined(__unix__) || defined(__APPLE__)
#include <pthread.h>
#endif

namespace parmap::detail {

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

/// PARMAP_NUM_THREADS's value as a thread count: a whole number from 1 to max_threads, spaces around it
/// allowed. Anything else gives 0 and a one-line `warning` that names the value.
inline std::size_t parse_thread_count(const char* text, std::string& warning) {
    const char* p = text;
    while (*p == ' ' || *p == '\t') ++p;
    std::size_t n = 0;
    const char* digits = p;
    for (; *p >= '0' && *p <= '9' && n <= max_threads; ++p) n = n * 10 + static_cast<std::size_t>(*p - '0');
    const bool number = p != digits;
    while (*p == ' ' || *p == '\t') ++p;
    if (number && *p == '\0' && n >= 1 && n <= max_threads) return n;
    warning = "parmap: ignoring PARMAP_NUM_THREADS=\"" + std::string(text) + "\": it must be a whole number from 1 to " +
              std::to_string(max_threads) + "; using the CPUs this process may use";
    return 0;
}

/// The threads a default-sized pool has: PARMAP_NUM_THREADS if set to a valid count, else the CPUs this
/// process may use; an invalid value is ignored, with one line on stderr (once per process) naming it.
inline std::size_t default_thread_count() {
    if (const char* env = std::getenv("PARMAP_NUM_THREADS")) {
        std::string warning;
        if (const std::size_t n = parse_thread_count(env, warning)) return n;
        static std::atomic<bool> warned{false};
        if (!warned.exchange(true)) std::fprintf(stderr, "%s\n", warning.c_str());
    }
    return available_cpus();
}

/// Counts the fork()s that made this process from the one that first made a pool: a pool made in an
/// earlier generation belongs to an ancestor, whose threads a forked child does not have.
inline std::atomic<unsigned> fork_generation{0};

/// What a forked child keeps of its parent's pools: their bookkeeping (each worker's mailbox, its std::thread
/// for a thread that is not in this process) can be neither joined nor freed, so it is parked here, where
/// leak checkers still see it as owned, until the child exits.
inline std::vector<void*>& fork_orphans() {
    static auto* kept = new std::vector<void*>;
    return *kept;
}

inline void watch_forks() {
#if defined(__unix__) || defined(__APPLE__)
    static const int registered = pthread_atfork(nullptr, nullptr, [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
    (void)registered;
#endif
}

} // namespace parmap::detail
