// parmap::thread_pool on its own, the default pool and how .workers(n) sizes it, and the .workers limit.
#include "common.hpp"
#include "fronts.hpp"

#include <chrono>
#include <cstdlib>
#include <optional>

using namespace conformance;

TEST_CASE("thread_pool::default_size() is at least 1", "[pool]") { CHECK(parmap::thread_pool::default_size() >= 1); }

namespace {

/// Sets an environment variable for one scope, restoring the old value (or its absence) afterwards.
class scoped_env {
public:
    scoped_env(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = std::string(old);
        ::setenv(name, value, 1);
    }
    ~scoped_env() {
        if (old_) {
            ::setenv(name_, old_->c_str(), 1);
        } else {
            ::unsetenv(name_);
        }
    }
    scoped_env(const scoped_env&) = delete;
    scoped_env& operator=(const scoped_env&) = delete;

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("thread_pool::default_size() follows PARMAP_NUM_THREADS when it is a positive number", "[pool][env]") {
    std::size_t without = 0;
    {
        scoped_env env("PARMAP_NUM_THREADS", "");
        ::unsetenv("PARMAP_NUM_THREADS");
        without = parmap::thread_pool::default_size();
    }
    CHECK(without >= 1);
    {
        scoped_env env("PARMAP_NUM_THREADS", "5");
        CHECK(parmap::thread_pool::default_size() == 5);
    }
    {
        scoped_env env("PARMAP_NUM_THREADS", "0");
        CHECK(parmap::thread_pool::default_size() == without);
    }
    for (const char* bad : {"three", "-1", "100000", "3 x"}) {
        scoped_env env("PARMAP_NUM_THREADS", bad);
        CHECK(parmap::thread_pool::default_size() == without);
    }
}

TEST_CASE("a thread_pool used on its own: size() and parallel_for", "[pool]") {
    const std::size_t size = GENERATE(as<std::size_t>{}, 1, 2, 3, 8);
    INFO("pool size " << size);
    parmap::thread_pool pool(size);
    CHECK(pool.size() == size);

    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{100}, std::size_t{2049}, std::size_t{100003}}) {
        INFO("n=" << n);
        std::vector<std::atomic<unsigned>> calls(n);
        pool.parallel_for(n, [&](std::size_t i) { calls[i].fetch_add(1); });
        std::size_t not_once = 0;
        for (std::size_t i = 0; i < n; ++i) not_once += calls[i].load() != 1;
        CHECK(not_once == 0);
    }
    // Through a policy as well, on the same pool.
    auto got = parmap::parallel_map(parmap::threads.on(pool), parmap::iota(std::size_t{50021}), [](std::size_t i) { return i ^ 0x5a5a; });
    std::size_t wrong = got.size() != 50021;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != (i ^ 0x5a5a);
    CHECK(wrong == 0);
    CHECK(pool.size() == size);
}

TEST_CASE("a thread_pool destroyed right after a job stops and joins its threads", "[pool][lifetime]") {
    // Pools are created, used once (helpers still finishing their last chunk when the caller may
    // return) and destroyed at once, on a separate thread; the test thread watches that the rounds
    // keep coming. A round takes milliseconds, so a round that makes no progress for 5 s is a hang
    // (in ~thread_pool, or in the job), reported here rather than left to the ctest timeout.
    const int rounds = 300;
    std::atomic<int> done{0};
    std::atomic<bool> wrong{false};
    std::thread runner([&] {
        for (int round = 0; round < rounds; ++round) {
            parmap::thread_pool pool(8);
            std::vector<std::atomic<int>> calls(64);
            parmap::parallel_for(parmap::threads.on(pool).chunk(parmap::chunks::dynamic(1)), calls.size(), [&](std::size_t i) {
                if (i % 2 == 1) std::this_thread::sleep_for(std::chrono::microseconds(300));
                calls[i].fetch_add(1);
            });
            for (auto& c : calls) wrong = wrong || c.load() != 1;
            done.store(round + 1);
        }
    });
    int last = -1;
    auto last_progress = std::chrono::steady_clock::now();
    while (done.load() < rounds) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        const int now_done = done.load();
        if (now_done != last) {
            last = now_done;
            last_progress = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - last_progress > std::chrono::seconds(5)) {
            break;
        }
    }
    const int finished = done.load();
    INFO("rounds finished: " << finished << " of " << rounds);
    if (finished == rounds) {
        runner.join();
    } else {
        runner.detach();  // stuck for good: the process exit ends it
    }
    CHECK(finished == rounds);
    CHECK(!wrong.load());
}

TEST_CASE("thread_pool::parallel_for rethrows f's exception with the lowest index", "[pool][exceptions]") {
    const std::size_t size = GENERATE(as<std::size_t>{}, 1, 2, 3);
    const std::size_t n = GENERATE(as<std::size_t>{}, 100, 100003);
    INFO("pool size " << size << " n=" << n);
    parmap::thread_pool pool(size);

    index_log thrown;
    bool caught = false;
    try {
        pool.parallel_for(n, [&](std::size_t i) {
            if (i % 97 == 13) {
                thrown.add(i);
                throw test_error(i);
            }
        });
    } catch (const test_error& e) {
        caught = true;
        const auto all = thrown.sorted();
        REQUIRE(!all.empty());
        CHECK(e.index() == all.front());
    }
    CHECK(caught);

    // The pool still works.
    std::vector<std::atomic<unsigned>> calls(n);
    pool.parallel_for(n, [&](std::size_t i) { calls[i].fetch_add(1); });
    std::size_t not_once = 0;
    for (std::size_t i = 0; i < n; ++i) not_once += calls[i].load() != 1;
    CHECK(not_once == 0);
}

TEST_CASE("default_pool() is one pool and parmap::threads runs on it", "[pool][default]") {
    parmap::thread_pool& a = parmap::default_pool();
    parmap::thread_pool& b = parmap::default_pool();
    CHECK(&a == &b);
    CHECK(a.size() >= 1);

    // Without .workers(n), parmap::threads uses at most the default pool's threads.
    const std::size_t n = 50021;
    std::vector<std::size_t> index(n);
    parmap::parallel_for(parmap::threads.chunk(parmap::chunks::dynamic(1)), n, [&](std::size_t i) { index[i] = parmap::worker_index(); });
    CHECK(*std::max_element(index.begin(), index.end()) < a.size());
}

TEST_CASE(".workers(n) larger than the default pool makes the default pool grow", "[pool][default]") {
    parmap::thread_pool& pool = parmap::default_pool();
    const std::size_t before = pool.size();
    const std::size_t wanted = before + 3;
    const std::size_t n = 40009;
    std::vector<std::size_t> index(n);
    parmap::parallel_for(parmap::threads.workers(wanted).chunk(parmap::chunks::dynamic(1)), n,
                         [&](std::size_t i) { index[i] = parmap::worker_index(); });
    CHECK(pool.size() >= wanted);
    CHECK(*std::max_element(index.begin(), index.end()) < pool.size());

    // A smaller .workers(n) never shrinks it.
    const std::size_t grown = pool.size();
    (void)parmap::parallel_map(parmap::threads.workers(1), parmap::iota(5000), [](int i) { return i; });
    CHECK(pool.size() == grown);
}

TEST_CASE("more workers than a schedule keeps slots for inline (8): every element runs once", "[pool][workers]") {
    // Up to 8 workers' slots live in the schedule itself; 12 and 33 take the allocated path.
    const auto check = [](const auto& policy, const std::string& name) {
        INFO(name);
        std::vector<std::atomic<int>> runs(1000);
        parmap::parallel_for(policy, runs.size(), [&](std::size_t i) { runs[i].fetch_add(1); });
        std::size_t once = 0;
        for (const auto& r : runs) once += r.load() == 1;
        CHECK(once == runs.size());
        const std::vector<long> got = parmap::parallel_map(policy, parmap::iota(1000), [](long i) { return 3 * i + 1; });
        std::vector<long> expected(1000);
        for (long i = 0; i < 1000; ++i) expected[static_cast<std::size_t>(i)] = 3 * i + 1;
        CHECK(got == expected);
    };
    for (std::size_t workers : {std::size_t{8}, std::size_t{12}, std::size_t{33}}) {
        const std::string w = std::to_string(workers);
        check(parmap::threads.workers(workers).chunk(parmap::chunks::automatic(1)), "threads.workers(" + w + "), automatic(1)");
        check(parmap::threads.workers(workers).chunk(parmap::chunks::static_()), "threads.workers(" + w + "), static_()");
        check(parmap::threads.workers(workers).chunk(parmap::chunks::static_(7)), "threads.workers(" + w + "), static_(7)");
#if defined(_OPENMP)
        check(parmap::openmp.workers(workers).chunk(parmap::chunks::automatic(1)), "openmp.workers(" + w + "), automatic(1)");
#endif
    }
}

TEST_CASE("after .workers(64) grew the default pool, plain calls still use the pool's first size", "[pool][default]") {
    parmap::thread_pool& pool = parmap::default_pool();
    const std::size_t plain = pool.initial_size();
    CHECK(plain == parmap::thread_pool::default_size());
    parmap::parallel_for(parmap::threads.workers(64).chunk(parmap::chunks::dynamic(1)), 640,
                         [](std::size_t) { std::this_thread::sleep_for(std::chrono::microseconds(200)); });
    CHECK(pool.size() >= 64);
    // A plain call: every element sleeps, so each participant takes several; at most `plain` threads take
    // part (any of the pool's idle threads may be among them, so their indices can be anything).
    std::vector<std::size_t> index(2000);
    parmap::parallel_for(parmap::threads.chunk(parmap::chunks::dynamic(1)), index.size(), [&](std::size_t i) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        index[i] = parmap::worker_index();
    });
    std::sort(index.begin(), index.end());
    CHECK(static_cast<std::size_t>(std::unique(index.begin(), index.end()) - index.begin()) <= plain);
    CHECK(pool.initial_size() == plain);
}

TEST_CASE("PARMAP_NUM_THREADS: whole numbers from 1 to 4096 are taken, anything else is named in a warning", "[pool][env]") {
    std::string warning;
    CHECK(parmap::detail::parse_thread_count("3", warning) == 3);
    CHECK(parmap::detail::parse_thread_count(" 12 ", warning) == 12);
    CHECK(parmap::detail::parse_thread_count("4096", warning) == 4096);
    CHECK(warning.empty());
    for (const char* bad : {"-1", "0", "4097", "100000", "18446744073709551617", "3x", "garbage", "", "1.5", "+2"}) {
        INFO("PARMAP_NUM_THREADS=\"" << bad << '"');
        warning.clear();
        CHECK(parmap::detail::parse_thread_count(bad, warning) == 0);
        CHECK(warning.find(std::string("PARMAP_NUM_THREADS=\"") + bad + '"') != std::string::npos);
        CHECK(warning.find("from 1 to 4096") != std::string::npos);
    }
}

TEST_CASE("a user pool is never grown by .workers(n)", "[pool]") {
    parmap::thread_pool pool(2);
    const std::size_t n = 40009;
    auto got = parmap::parallel_map(parmap::threads.on(pool).workers(8).chunk(parmap::chunks::dynamic(3)), parmap::iota(n),
                                    [](std::size_t i) { return i * 2; });
    std::size_t wrong = got.size() != n;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != i * 2;
    CHECK(wrong == 0);
    CHECK(pool.size() == 2);
    parmap::parallel_for(parmap::threads.on(pool).workers(8), n, [](std::size_t) {});
    CHECK(pool.size() == 2);
}

TEMPLATE_LIST_TEST_CASE(".workers(5000) throws std::invalid_argument naming the count from every front-end", "[pool][workers]", backends) {
    const front which = CONFORMANCE_FRONT();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 10, 10007);
    INFO("backend=" << TestType::name << " " << name_of(which) << " n=" << n);
    std::atomic<int> calls{0};
    auto f = [&](std::size_t i) {
        calls.fetch_add(1);
        return static_cast<long>(i);
    };
    bool caught = false;
    try {
        call_front(which, TestType::policy().workers(5000), n, f);
    } catch (const std::invalid_argument& e) {
        caught = true;
        CHECK_THAT(e.what(), Catch::Matchers::Contains("5000"));
    }
    CHECK(caught);
    CHECK(calls.load() == 0);
    if constexpr (std::is_same_v<TestType, threads_case>) {
        CHECK(parmap::default_pool().size() < 5000);  // refused before growing anything
    }
    // .workers(0) restores the default.
    check_still_works(TestType::policy().workers(5000).workers(0));
}
