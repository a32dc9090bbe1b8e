// parmap-stress: thousands of back-to-back calls of random sizes (0 to 1e6, log-uniform) and random
// chunking from several caller threads at once, on the threads and OpenMP backends, some nested three
// deep, some throwing at a random element, some stopped at a random point. Every result is checked
// against a serial loop; a watchdog turns a hang into a failure that names the case.
//
//   parmap-stress [--seed S] [--calls N] [--callers C] [--max-size M] [--hang-seconds H]
//
// Prints its seed first: `parmap-stress --seed S` with the same flags replays the same cases (the
// interleaving of the callers differs, the cases each caller runs do not). Exits 0 when every call
// gave the right answer, 1 on a wrong answer or a hang, 2 on bad flags.
#include <parmap/parmap.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct options {
    std::uint64_t seed = std::random_device{}();
    std::size_t calls = 1000;   // per caller
    std::size_t callers = 4;
    std::size_t max_size = 1000000;
    int hang_seconds = 120;
};

/// The element function: cheap, and different for every index so that a misplaced result shows.
std::uint64_t value_of(std::size_t i) { return (i * 2654435761u) ^ (i >> 3); }

struct thrown_at {
    std::size_t index;
};

/// One call's random choices, printable so that a failure names its case.
struct test_case {
    std::size_t n = 0;
    int backend = 0;  // 0 threads, 1 openmp
    parmap::chunks::chunking chunking;
    std::size_t workers = 0;
    int front = 0;           // 0 parallel_map, 1 parallel_for, 2 parallel_map_reduce
    std::size_t throw_at = 0;  // n: none
    std::size_t stop_at = 0;   // n: none
    int depth = 0;           // nested levels under this call (0..2)

    std::string describe() const {
        static const char* kinds[] = {"automatic", "static_", "dynamic", "guided"};
        static const char* fronts[] = {"parallel_map", "parallel_for", "parallel_map_reduce"};
        std::ostringstream out;
        out << fronts[front] << " on " << (backend == 0 ? "threads" : "openmp") << " n=" << n << " workers=" << workers
            << " chunks::" << kinds[static_cast<int>(chunking.how)] << "(" << chunking.size << ") depth=" << depth;
        if (throw_at < n) out << " throw_at=" << throw_at;
        if (stop_at < n) out << " stop_at=" << stop_at;
        return out.str();
    }
};

test_case random_case(std::mt19937_64& rng, const options& opt) {
    test_case c;
    const double log_max = std::log10(static_cast<double>(opt.max_size) + 1.0);
    c.n = static_cast<std::size_t>(std::pow(10.0, std::uniform_real_distribution<double>(0.0, log_max)(rng))) - 1;
    c.backend = static_cast<int>(rng() % 4 == 0);  // a quarter on OpenMP
    const std::size_t size = std::size_t{1} << (rng() % 14);
    switch (rng() % 4) {
    case 0: c.chunking = parmap::chunks::automatic(size); break;
    case 1: c.chunking = parmap::chunks::static_(rng() % 2 == 0 ? 0 : size); break;
    case 2: c.chunking = parmap::chunks::dynamic(size); break;
    default: c.chunking = parmap::chunks::guided(size); break;
    }
    c.workers = rng() % 3 == 0 ? 1 + rng() % 4 : 0;
    c.front = static_cast<int>(rng() % 3);
    c.throw_at = c.stop_at = c.n;
    if (c.n > 0 && rng() % 8 == 0) c.throw_at = rng() % c.n;
    else if (c.n > 0 && rng() % 8 == 0) c.stop_at = rng() % c.n;
    c.depth = rng() % 10 == 0 ? static_cast<int>(1 + rng() % 2) : 0;
    return c;
}

/// Runs `front` of the case on its backend; `f(i)` is the element function.
template <class Policy, class F>
std::uint64_t run_front(const Policy& policy, const test_case& c, F f) {
    if (c.front == 0) {
        auto results = parmap::parallel_map(policy, parmap::iota(c.n), f);
        std::uint64_t bad = results.size() != c.n;
        for (std::size_t i = 0; i < results.size() && bad == 0; ++i) bad += results[i] != value_of(i);
        if (bad != 0) throw std::logic_error("parallel_map gave a wrong result");
        return c.n;
    }
    if (c.front == 1) {
        std::vector<std::uint64_t> out(c.n);
        parmap::parallel_for(policy, c.n, [&](std::size_t i) { out[i] = f(i); });
        for (std::size_t i = 0; i < c.n; ++i) {
            if (out[i] != value_of(i)) throw std::logic_error("parallel_for gave a wrong result");
        }
        return c.n;
    }
    std::uint64_t want = 7;
    for (std::size_t i = 0; i < c.n; ++i) want += value_of(i);
    if (parmap::parallel_map_reduce(policy, parmap::iota(c.n), f, std::uint64_t{7}, std::plus<>{}) != want) {
        throw std::logic_error("parallel_map_reduce gave a wrong sum");
    }
    return c.n;
}

/// Runs one case and checks what it must do: the right results, or the exception it threw, or cancelled.
void run_case(const test_case& c, std::mt19937_64& rng);

template <class Policy>
void run_on(const Policy& base, const test_case& c, std::mt19937_64& rng) {
    parmap::stop_source stop;
    auto policy = base.chunk(c.chunking).workers(c.workers).stop(stop.token());
    test_case inner = random_case(rng, options{0, 0, 0, 300, 0});  // nested calls stay small
    inner.depth = c.depth - 1;
    inner.throw_at = inner.stop_at = inner.n;
    const std::size_t nest_every = c.n / 4 + 1;
    auto f = [&](std::size_t i) {
        if (i == c.throw_at) throw thrown_at{i};
        if (i == c.stop_at) stop.request_stop();
        if (c.depth > 0 && i % nest_every == 0) {
            std::mt19937_64 inner_rng(i);
            run_case(inner, inner_rng);
        }
        return value_of(i);
    };
    try {
        run_front(policy, c, f);
    } catch (const thrown_at& e) {
        if (e.index != c.throw_at) throw std::logic_error("the exception came from the wrong element");
        return;
    } catch (const parmap::cancelled&) {
        if (c.stop_at >= c.n) throw std::logic_error("cancelled without a stop request");
        return;
    }
    if (c.throw_at < c.n) throw std::logic_error("the exception thrown by f did not reach the caller");
    if (c.stop_at < c.n) throw std::logic_error("a stop requested during the call did not cancel it");
}

void run_case(const test_case& c, std::mt19937_64& rng) {
    if (c.backend == 0) run_on(parmap::threads, c, rng);
    else run_on(parmap::openmp, c, rng);
}

/// What each caller is doing, for the watchdog: its current case and how many calls it has finished.
struct caller_state {
    std::mutex mutex;
    std::string current;
    std::atomic<std::size_t> finished{0};
};

bool parse(int argc, char** argv, options& opt) {
    for (int k = 1; k < argc; ++k) {
        const std::string flag = argv[k];
        if (k + 1 >= argc) return false;
        char* end = nullptr;
        const unsigned long long value = std::strtoull(argv[++k], &end, 10);
        if (*end != '\0' || argv[k][0] == '-') return false;
        if (flag == "--seed") opt.seed = value;
        else if (flag == "--calls") opt.calls = value;
        else if (flag == "--callers" && value > 0 && value <= 64) opt.callers = value;
        else if (flag == "--max-size" && value <= 100000000) opt.max_size = value;
        else if (flag == "--hang-seconds" && value > 0) opt.hang_seconds = static_cast<int>(value);
        else return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    options opt;
    if (!parse(argc, argv, opt)) {
        std::fprintf(stderr, "usage: parmap-stress [--seed S] [--calls N] [--callers 1..64] [--max-size M] [--hang-seconds H]\n");
        return 2;
    }
    std::printf("parmap-stress --seed %llu --calls %zu --callers %zu --max-size %zu\n",
                static_cast<unsigned long long>(opt.seed), opt.calls, opt.callers, opt.max_size);
    std::fflush(stdout);

    std::vector<caller_state> states(opt.callers);
    std::atomic<bool> failed{false};
    std::atomic<std::size_t> running{opt.callers};
    std::vector<std::thread> callers;
    for (std::size_t id = 0; id < opt.callers; ++id) {
        callers.emplace_back([&, id] {
            std::mt19937_64 rng(opt.seed + 1000003 * id);
            for (std::size_t call = 0; call < opt.calls && !failed; ++call) {
                const test_case c = random_case(rng, opt);
                {
                    std::lock_guard<std::mutex> lock(states[id].mutex);
                    states[id].current = "caller " + std::to_string(id) + " call " + std::to_string(call) + ": " + c.describe();
                }
                try {
                    run_case(c, rng);
                } catch (const std::exception& e) {
                    std::lock_guard<std::mutex> lock(states[id].mutex);
                    std::fprintf(stderr, "FAILED: %s: %s (seed %llu)\n", states[id].current.c_str(), e.what(),
                                 static_cast<unsigned long long>(opt.seed));
                    failed = true;
                }
                states[id].finished.fetch_add(1);
            }
            running.fetch_sub(1);
        });
    }

    // The watchdog: a caller that finishes no call for hang_seconds is hung; name its case and stop.
    std::vector<std::size_t> last(opt.callers, 0);
    auto since = std::chrono::steady_clock::now();
    while (running.load() != 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        bool moved = false;
        for (std::size_t id = 0; id < opt.callers; ++id) {
            const std::size_t now = states[id].finished.load();
            moved |= now != last[id];
            last[id] = now;
        }
        if (moved) since = std::chrono::steady_clock::now();
        if (std::chrono::steady_clock::now() - since > std::chrono::seconds(opt.hang_seconds)) {
            for (std::size_t id = 0; id < opt.callers; ++id) {
                std::lock_guard<std::mutex> lock(states[id].mutex);
                if (states[id].finished.load() < opt.calls) std::fprintf(stderr, "HUNG? %s\n", states[id].current.c_str());
            }
            std::fprintf(stderr, "FAILED: no call finished for %d s (seed %llu)\n", opt.hang_seconds,
                         static_cast<unsigned long long>(opt.seed));
            std::fflush(stderr);
            std::_Exit(1);
        }
    }
    for (std::thread& t : callers) t.join();
    std::size_t total = 0;
    for (caller_state& s : states) total += s.finished.load();
    std::printf("parmap-stress: %zu calls %s\n", total, failed ? "FAILED" : "all correct");
    return failed ? 1 : 0;
}
