// Exceptions from f: the exact exception reaches the caller, the lowest-index one when several throw,
// nothing leaks, and the backend (and its pool) works normally afterwards. Every front-end.
#include "common.hpp"
#include "fronts.hpp"

#include <functional>

using namespace conformance;

TEMPLATE_LIST_TEST_CASE("an exception from f at the first or a middle or the last element reaches the caller", "[exceptions]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 100, 10007);
    const std::size_t at = GENERATE_COPY(values({std::size_t{0}, n / 2, n - 1}));
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which) << " n=" << n << " throws at " << at);
    const auto policy = make_policy<TestType>(workers, chunking);

    std::atomic<std::size_t> ran{0};
    auto f = [&](std::size_t i) -> long {
        ran.fetch_add(1);
        if (i == at) throw test_error(i);
        return static_cast<long>(i);
    };
    bool caught = false;
    try {
        call_front(which, policy, n, f);
    } catch (const test_error& e) {
        caught = true;
        CHECK(e.index() == at);
        CHECK(std::string(e.what()) == expected_message(at));
    }
    CHECK(caught);
    if constexpr (is_serial<TestType>) {
        CHECK(ran.load() == at + 1);  // in order, and nothing after the throw
    }
    check_still_works(policy);
}

TEMPLATE_LIST_TEST_CASE("when several elements throw the one rethrown is the lowest index among those thrown", "[exceptions]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which));
    const auto policy = make_policy<TestType>(workers, chunking);
    const std::size_t n = 10007;

    index_log thrown;
    auto f = [&](std::size_t i) -> long {
        if (i % 1009 == 500) {
            thrown.add(i);
            throw test_error(i);
        }
        return static_cast<long>(i);
    };
    bool caught = false;
    try {
        call_front(which, policy, n, f);
    } catch (const test_error& e) {
        caught = true;
        const std::vector<std::size_t> all = thrown.sorted();
        REQUIRE(!all.empty());
        CHECK(e.index() == all.front());
        CHECK(std::string(e.what()) == expected_message(all.front()));
        if constexpr (is_serial<TestType>) {
            CHECK(all == std::vector<std::size_t>{500});  // exactly the first, and no other element ran after it
        }
    }
    CHECK(caught);
    check_still_works(policy);
}

namespace {
struct not_a_std_exception {
    int code;
};
}  // namespace

TEMPLATE_LIST_TEST_CASE("exceptions that do not derive from std::exception reach the caller too", "[exceptions]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const front which = CONFORMANCE_FRONT();
    CONFORMANCE_INFO(workers, chunking);
    INFO(name_of(which));
    const auto policy = make_policy<TestType>(workers, chunking);
    const std::size_t n = 5003;

    SECTION("throw 42") {
        auto f = [](std::size_t i) -> long {
            if (i == 4000) throw 42;
            return static_cast<long>(i);
        };
        int value = 0;
        try {
            call_front(which, policy, n, f);
        } catch (int v) {
            value = v;
        }
        CHECK(value == 42);
    }
    SECTION("a plain struct") {
        auto f = [](std::size_t i) -> long {
            if (i == 17) throw not_a_std_exception{-3};
            return static_cast<long>(i);
        };
        int code = 0;
        try {
            call_front(which, policy, n, f);
        } catch (const not_a_std_exception& e) {
            code = e.code;
        }
        CHECK(code == -3);
    }
    check_still_works(policy);
}

// Runs call(make), where make(i) builds counted<DefaultConstructible>(i) but throws at `at`, and checks
// that the exception arrives and every object built was destroyed once.
template <bool DefaultConstructible, class Call>
void check_no_leak(std::size_t at, Call call) {
    using result = counted<DefaultConstructible>;
    auto& stats = result::stats();
    stats.reset();
    auto make = [at](std::size_t i) {
        if (i == at) throw test_error(i);
        return result(static_cast<int>(i));
    };
    CHECK_THROWS_AS(call(make), test_error);
    CHECK(stats.constructed.load() == stats.destroyed.load());
    CHECK(stats.bad_destroy.load() == 0);
}

TEMPLATE_LIST_TEST_CASE("an exception mid-map leaks no result and destroys none twice", "[exceptions][leak]", backends) {
    CONFORMANCE_HOST_ONLY("counted results live on the host") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        const std::size_t n = 6007;
        const std::size_t at = GENERATE_COPY(values({std::size_t{0}, n / 2, n - 1}));
        CONFORMANCE_INFO(workers, chunking);
        INFO("throws at " << at);
        const auto policy = make_policy<TestType>(workers, chunking);
        auto map = [&](auto make) { return parmap::parallel_map(policy, parmap::iota(n), make); };

        SECTION("default-constructible results") { check_no_leak<true>(at, map); }
        SECTION("results that are not default-constructible") { check_no_leak<false>(at, map); }
        SECTION("reduction values") {
            using result = counted<false>;
            check_no_leak<false>(at, [&](auto make) {
                return parmap::parallel_map_reduce(policy, parmap::iota(n), make, result(0),
                                                   [](const result& x, const result& y) { return result(x.value() + y.value()); });
            });
        }
    }
}

TEST_CASE("a user thread_pool stays usable after many exceptions", "[exceptions][pool]") {
    parmap::thread_pool pool(3);
    const auto policy = parmap::threads.on(pool);
    for (std::size_t round = 0; round < 60; ++round) {
        INFO("round " << round);
        const std::size_t n = 3000 + round * 37;
        const std::size_t at = (round * 7919) % n;
        const auto chunked = policy.chunk(round % 2 == 0 ? parmap::chunks::dynamic(3) : parmap::chunks::automatic(16));
        CHECK_THROWS_AS(parmap::parallel_map(chunked, parmap::iota(n),
                                             [at](std::size_t i) {
                                                 if (i == at) throw test_error(i);
                                                 return i;
                                             }),
                        test_error);
        auto got = parmap::parallel_map(chunked, parmap::iota(n), [](std::size_t i) { return i + 1; });
        std::size_t wrong = got.size() != n;
        for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != i + 1;
        CHECK(wrong == 0);
    }
    CHECK(pool.size() == 3);
}
