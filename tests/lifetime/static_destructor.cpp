// parmap called from a static object's destructor (after main returns) and from a thread still running
// while main returns: both must work. The default pool used to be a function-local static, destroyed
// before statics constructed earlier, so this crashed (heap-use-after-free) at exit.
#include <parmap/parmap.hpp>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

/// A namespace-scope logger that flushes with parallel_map (more elements than the grain) when destroyed.
struct flushing_logger {
    std::vector<int> pending;
    flushing_logger() : pending(100000, 1) {}
    ~flushing_logger() {
        const auto doubled = parmap::parallel_map(parmap::threads, pending, [](int x) { return 2 * x; });
        long sum = 0;
        for (int x : doubled) sum += x;
        if (sum != 200000) {
            std::fprintf(stderr, "static destructor: wrong sum %ld\n", sum);
            std::_Exit(1);
        }
        std::puts("static destructor: parallel_map gave the right results");
    }
};

flushing_logger logger;  // constructed before main's first parmap call makes the default pool

std::atomic<bool> started{false};

} // namespace

int main() {
    (void)parmap::parallel_map(parmap::threads, parmap::iota(100000), [](int i) { return i; });  // makes the pool
    // A detached thread that keeps calling parmap while main returns and statics are destroyed.
    std::thread([] {
        for (;;) {
            const auto ys = parmap::parallel_map(parmap::threads, parmap::iota(50000), [](int i) { return i + 1; });
            if (ys.back() != 50000) std::_Exit(1);
            started = true;
        }
    }).detach();
    while (!started) std::this_thread::yield();
    return 0;
}
