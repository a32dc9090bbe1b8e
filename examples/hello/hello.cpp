// parmap-hello: which worker ran which element. Maps a function over 0..n-1 that records the worker
// index and OS thread that ran each element, once per backend, so that a newcomer sees the serial
// backend run in order on one thread and the parallel ones spread the elements over their workers.
#include "backend_by_name.hpp"
#include "cli_numbers.hpp"

#include <parmap/parmap.hpp>

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace {

struct record {
    std::size_t element;
    std::size_t worker;
    long os_thread;
    std::size_t started_as;  // 1 for the first element any worker started, 2 for the second, ...
};

long os_thread_id() {
#if defined(__linux__)
    return static_cast<long>(::syscall(SYS_gettid));
#else
    return static_cast<long>(std::hash<std::thread::id>{}(std::this_thread::get_id()) % 100000);
#endif
}

// Busy work rather than sleep, so the element really occupies its worker for that long.
void work_for(std::chrono::microseconds duration) {
    auto until = std::chrono::steady_clock::now() + duration;
    while (std::chrono::steady_clock::now() < until) {
    }
}

template <class Policy>
std::vector<record> run(const Policy& policy, std::size_t n, std::chrono::microseconds work) {
    std::atomic<std::size_t> started{0};
    return parmap::parallel_map(policy, parmap::iota(n), [&](std::size_t i) {
        record r{i, parmap::worker_index(), os_thread_id(), started.fetch_add(1) + 1};
        work_for(work);
        return r;
    });
}

void print(const std::string& backend, std::size_t workers, const std::vector<record>& records) {
    std::map<long, std::size_t> per_thread;
    bool in_order = true;
    for (const record& r : records) {
        ++per_thread[r.os_thread];
        in_order = in_order && r.started_as == r.element + 1;
    }
    std::printf("\n%s, %zu worker%s: %zu thread%s ran the elements, %s\n", backend.c_str(), workers, workers == 1 ? "" : "s",
                per_thread.size(), per_thread.size() == 1 ? "" : "s", in_order ? "started in order" : "started out of order");
    std::printf("  element  worker  OS thread  started as\n");
    for (const record& r : records) std::printf("  %7zu  %6zu  %9ld  %10zu\n", r.element, r.worker, r.os_thread, r.started_as);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"parmap-hello: map a function over 0..n-1 and show which worker (and OS thread) ran each element.\n"
                 "The serial backend runs every element in order on the calling thread; the parallel backends\n"
                 "spread them over their workers, so they start out of order. The results come back in order either way."};
    std::size_t n = 8;
    std::string backend = "all";
    std::size_t workers = 0;
    double work_ms = 10.0;
    std::vector<std::string> backends = parmap_examples::compiled_backends();
    std::string names;
    for (const std::string& name : backends) names += ", " + name;
    backends.insert(backends.begin(), "all");
    app.add_option("-n,--elements", n, "How many elements to map over (1 to 1000000)")
        ->check(parmap_examples::whole_number(1, 1000000, false));
    app.add_option("--backend", backend, "Which backend to run: all (every one compiled in)" + names)->check(CLI::IsMember(backends));
    app.add_option("--workers", workers, "Threads per parallel backend, the caller included (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
    app.add_option("--work-ms", work_ms, "Busy work per element in milliseconds, so the spread is visible (0 to 1000)")
        ->check(parmap_examples::finite_number(0, 1000));
    if (const std::optional<int> status = parmap_examples::parse_options(app, argc, argv, "parmap-hello")) return *status;

    const auto work = std::chrono::microseconds(static_cast<long long>(work_ms * 1000.0));
    const std::size_t w = workers != 0 ? workers : parmap::thread_pool::default_size();
    // static_(): each worker takes one contiguous block, as Python's Pool.map hands out chunks, so worker 1
    // starts in the middle of the range while worker 0 starts at its beginning.
    const auto blocks = parmap::chunks::static_();
    try {
        for (const std::string& name : parmap_examples::compiled_backends()) {
            if (backend != "all" && backend != name) continue;
            std::visit([&](const auto& policy) { print(name, name == "serial" ? 1 : w, run(policy, n, work)); },
                       parmap_examples::cpu_policy_named(name, w, blocks));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parmap-hello: %s\n", e.what());
        return 1;
    }
    return 0;
}
