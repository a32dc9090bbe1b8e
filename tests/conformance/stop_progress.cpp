// .progress(cb, interval) and .stop(token) on every backend and front-end.
#include "common.hpp"
#include "fronts.hpp"

#include <chrono>

using namespace conformance;

namespace {

/// Records progress calls (thread-safely, so that a call from the wrong thread is reported, not a crash).
class progress_log {
public:
    explicit progress_log(std::thread::id caller) : caller_(caller) {}

    void record(std::size_t done, std::size_t total) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (std::this_thread::get_id() != caller_) ++off_caller_;
        calls_.emplace_back(done, total);
    }
    std::vector<std::pair<std::size_t, std::size_t>> calls() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return calls_;
    }
    std::size_t off_caller() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return off_caller_;
    }

private:
    std::thread::id caller_;
    mutable std::mutex mutex_;
    std::vector<std::pair<std::size_t, std::size_t>> calls_;
    std::size_t off_caller_ = 0;
};

/// Every call on the caller's thread with total == n, done never decreasing and never above total,
/// and the last call exactly (n, n).
void check_progress_log(const progress_log& log, std::size_t n) {
    const auto calls = log.calls();
    CHECK(log.off_caller() == 0);
    REQUIRE(!calls.empty());
    std::size_t wrong_total = 0, above_total = 0, decreasing = 0;
    for (std::size_t k = 0; k < calls.size(); ++k) {
        wrong_total += calls[k].second != n;
        above_total += calls[k].first > calls[k].second;
        if (k > 0) decreasing += calls[k].first < calls[k - 1].first;
    }
    CHECK(wrong_total == 0);
    CHECK(above_total == 0);
    CHECK(decreasing == 0);
    CHECK(calls.back() == std::make_pair(n, n));
}

long busy(std::size_t i) {
    // A little work per element, so that calls last long enough for several progress reports.
    long x = static_cast<long>(i);
    for (int k = 0; k < 8; ++k) x = (x * 1103515245 + 12345) % 2147483647;
    return x;
}

}  // namespace

// ---- progress -----------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("progress is reported on the calling thread and never decreases and ends with (total total)", "[progress]",
                        backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 2049, 20011);
    const auto interval = GENERATE(as<std::chrono::nanoseconds>{}, std::chrono::nanoseconds(0), std::chrono::microseconds(50));
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which) << " n=" << n << " interval=" << interval.count() << "ns");

    progress_log log(std::this_thread::get_id());
    const auto policy = make_policy<TestType>(workers, chunking).progress([&log](std::size_t d, std::size_t t) { log.record(d, t); }, interval);
    std::atomic<std::size_t> ran{0};
    auto f = [&](std::size_t i) {
        ran.fetch_add(1);
        return busy(i);
    };
    call_front(which, policy, n, f);
    CHECK(ran.load() == n);
    check_progress_log(log, n);
}

TEMPLATE_LIST_TEST_CASE("progress with the default interval and with options set after .progress()", "[progress]", backends) {
    {
        progress_log log(std::this_thread::get_id());
        const auto policy = TestType::policy().progress([&log](std::size_t d, std::size_t t) { log.record(d, t); });
        (void)parmap::parallel_map(policy, parmap::iota(std::size_t{50021}), [](std::size_t i) { return busy(i); });
        check_progress_log(log, 50021);
    }
    progress_log log(std::this_thread::get_id());
    const std::size_t n = 30011;
    const auto policy = TestType::policy()
                            .progress([&log](std::size_t d, std::size_t t) { log.record(d, t); }, std::chrono::nanoseconds(0))
                            .workers(3)
                            .chunk(parmap::chunks::dynamic(100));
    auto got = parmap::parallel_map(policy, parmap::iota(n), [](std::size_t i) { return i + 1; });
    std::size_t wrong = got.size() != n;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != i + 1;
    CHECK(wrong == 0);
    check_progress_log(log, n);
}

TEMPLATE_LIST_TEST_CASE("with a zero interval progress is called at least once per chunk the caller runs", "[progress]", backends) {
    CONFORMANCE_HOST_ONLY("Thrust ignores chunk options and reports between its launches") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const std::size_t k = GENERATE(as<std::size_t>{}, 1, 7, 100);
        const bool dynamic = GENERATE(true, false);
        const auto chunking = dynamic ? parmap::chunks::dynamic(k) : parmap::chunks::static_(k);  // chunk c is [c*k, (c+1)*k)
        const bool use_for = GENERATE(false, true);
        CONFORMANCE_INFO(workers, chunking);
        INFO((use_for ? "parallel_for" : "parallel_map"));
        const std::size_t n = 5003;

        const std::thread::id caller = std::this_thread::get_id();
        progress_log log(caller);
        const auto policy = make_policy<TestType>(workers, chunking).progress([&log](std::size_t d, std::size_t t) { log.record(d, t); },
                                                                              std::chrono::nanoseconds(0));
        std::vector<char> on_caller(n, 0);
        auto f = [&](std::size_t i) {
            on_caller[i] = std::this_thread::get_id() == caller;
            return busy(i);
        };
        if (use_for) {
            parmap::parallel_for(policy, n, [&](std::size_t i) { (void)f(i); });
        } else {
            (void)parmap::parallel_map(policy, parmap::iota(n), f);
        }
        std::size_t caller_chunks = 0;
        for (std::size_t c = 0; c * k < n; ++c) {
            bool ran_here = false;
            for (std::size_t i = c * k; i < std::min(n, (c + 1) * k); ++i) ran_here = ran_here || on_caller[i] != 0;
            caller_chunks += ran_here;
        }
        if constexpr (is_serial<TestType>) {
            CHECK(caller_chunks == (n + k - 1) / k);
        }
        CHECK(log.calls().size() >= caller_chunks);
        check_progress_log(log, n);
    }
}

TEMPLATE_LIST_TEST_CASE("progress on an empty input is reported once as (0 0)", "[progress]", backends) {
    const front which = CONFORMANCE_FRONT();
    INFO(name_of(which));
    progress_log log(std::this_thread::get_id());
    const auto policy = TestType::policy().progress([&log](std::size_t d, std::size_t t) { log.record(d, t); });
    auto f = [](std::size_t i) { return static_cast<long>(i); };
    call_front(which, policy, 0, f);
    CHECK(log.calls() == std::vector<std::pair<std::size_t, std::size_t>>{{0, 0}});
}

// ---- stop ---------------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("a token that is never stopped changes nothing", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    parmap::stop_source src;
    CHECK(src.token().stop_possible());
    CHECK(!src.token().stop_requested());
    CHECK(!parmap::stop_token{}.stop_possible());
    check_still_works(make_policy<TestType>(workers, chunking).stop(src.token()));
    check_still_works(make_policy<TestType>(workers, chunking).stop(parmap::stop_token{}));
    CHECK(!src.stop_requested());
}

TEMPLATE_LIST_TEST_CASE("a stop requested before the call throws parmap::cancelled and never calls f", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 100, 10007);
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which) << " n=" << n);

    parmap::stop_source src;
    src.request_stop();
    CHECK(src.stop_requested());
    CHECK(src.token().stop_requested());
    std::atomic<std::size_t> ran{0};
    auto f = [&](std::size_t i) {
        ran.fetch_add(1);
        return static_cast<long>(i);
    };
    const auto policy = make_policy<TestType>(workers, chunking);
    CHECK_THROWS_AS(call_front(which, policy.stop(src.token()), n, f), parmap::cancelled);
    CHECK(ran.load() == 0);
    check_still_works(policy);
}

TEMPLATE_LIST_TEST_CASE("a stop requested from inside f throws parmap::cancelled", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which));
    const std::size_t n = 20011;

    parmap::stop_source src;
    std::atomic<std::size_t> ran{0};
    auto f = [&](std::size_t i) {
        if (ran.fetch_add(1) + 1 == 50) src.request_stop();
        return static_cast<long>(i);
    };
    const auto policy = make_policy<TestType>(workers, chunking);
    CHECK_THROWS_AS(call_front(which, policy.stop(src.token()), n, f), parmap::cancelled);
    CHECK(ran.load() >= 50);
    check_still_works(policy);
}

TEMPLATE_LIST_TEST_CASE("a stop from inside f with small chunks leaves most of a large input undone", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = parmap::chunks::dynamic(1);
    CONFORMANCE_INFO(workers, chunking);
    const std::size_t n = 200003;

    parmap::stop_source src;
    std::atomic<std::size_t> ran{0};
    auto f = [&](std::size_t i) {
        if (ran.fetch_add(1) + 1 == 50) src.request_stop();
        return i;
    };
    const auto policy = make_policy<TestType>(workers, chunking);
    CHECK_THROWS_AS(parmap::parallel_map(policy.stop(src.token()), parmap::iota(n), f), parmap::cancelled);
    CHECK(ran.load() >= 50);
    CHECK(ran.load() < n);
    if constexpr (is_serial<TestType>) {
        CHECK(ran.load() == 50);  // in order: the chunk that asked for the stop was the last one
    }
    check_still_works(policy);
}

TEMPLATE_LIST_TEST_CASE("a stop from another thread while a call runs throws parmap::cancelled", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which));
    const std::size_t n = 100003;

    parmap::stop_source src;
    std::atomic<bool> started{false};
    // Every element waits (boundedly) for the stop, so the call is certainly running when it comes.
    auto f = [&](std::size_t i) {
        started.store(true);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!src.stop_requested() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        return static_cast<long>(i);
    };
    std::thread stopper([&] {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!started.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        src.request_stop();
    });
    const auto policy = make_policy<TestType>(workers, chunking);
    bool cancelled = false;
    try {
        call_front(which, policy.stop(src.token()), n, f);
    } catch (const parmap::cancelled& e) {
        cancelled = true;
        CHECK(std::string(e.what()).find("stop") != std::string::npos);
    }
    stopper.join();
    CHECK(cancelled);
    check_still_works(policy);
}

TEMPLATE_LIST_TEST_CASE("a stopped map of counted results leaks nothing", "[stop][leak]", backends) {
    CONFORMANCE_HOST_ONLY("counted results live on the host") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        CONFORMANCE_INFO(workers, chunking);
        const std::size_t n = 20011;
        const auto policy = make_policy<TestType>(workers, chunking);

        SECTION("default-constructible results") {
            auto& stats = counted<true>::stats();
            stats.reset();
            parmap::stop_source src;
            std::atomic<std::size_t> ran{0};
            CHECK_THROWS_AS(parmap::parallel_map(policy.stop(src.token()), parmap::iota(n),
                                                 [&](std::size_t i) {
                                                     if (ran.fetch_add(1) + 1 == 100) src.request_stop();
                                                     return counted<true>(static_cast<int>(i));
                                                 }),
                            parmap::cancelled);
            CHECK(stats.constructed.load() == stats.destroyed.load());
            CHECK(stats.bad_destroy.load() == 0);
        }
        SECTION("results that are not default-constructible") {
            auto& stats = counted<false>::stats();
            stats.reset();
            parmap::stop_source src;
            std::atomic<std::size_t> ran{0};
            CHECK_THROWS_AS(parmap::parallel_map(policy.stop(src.token()), parmap::iota(n),
                                                 [&](std::size_t i) {
                                                     if (ran.fetch_add(1) + 1 == 100) src.request_stop();
                                                     return counted<false>(static_cast<int>(i));
                                                 }),
                            parmap::cancelled);
            CHECK(stats.constructed.load() > 0);
            CHECK(stats.constructed.load() == stats.destroyed.load());
            CHECK(stats.bad_destroy.load() == 0);
        }
        check_still_works(policy);
    }
}

TEMPLATE_LIST_TEST_CASE("an exception from f wins over a stop", "[stop][exceptions]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which));
    const std::size_t n = 10007;
    const std::size_t at = 777;

    parmap::stop_source src;
    auto f = [&](std::size_t i) {
        if (i == at) {
            src.request_stop();
            throw test_error(i);
        }
        return static_cast<long>(i);
    };
    const auto policy = make_policy<TestType>(workers, chunking);
    bool caught = false;
    try {
        call_front(which, policy.stop(src.token()), n, f);
    } catch (const test_error& e) {
        caught = true;
        CHECK(e.index() == at);
    }
    CHECK(caught);
    check_still_works(policy);
}
