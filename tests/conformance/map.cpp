// parallel_map(policy, range, f) and parallel_map(range, f): results in input order for every input
// kind, size, result type, worker count and chunking; parmap::zip and parmap::iota.
#include "common.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <list>
#include <memory>
#include <string>

using namespace conformance;

namespace {

long affine(long x) { return 3 * x - 1; }

std::vector<long> make_input(std::size_t n) {
    std::vector<long> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<long>(i * 7 % 1009) - 500;
    return v;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("parallel_map over a vector gives f of every element in input order", "[map]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2, 13, 101, 2048, 2049, 10007);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    const std::vector<long> in = make_input(n);
    std::vector<long> want;
    for (long x : in) want.push_back(affine(x));

    auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), in, [](long x) { return affine(x); });
    static_assert(std::is_same_v<decltype(got), std::vector<long>>);
    CHECK(mismatch(got, want) == "");
}

TEMPLATE_LIST_TEST_CASE("parallel_map calls f exactly once per element", "[map]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 100, 5003);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    std::vector<std::atomic<int>> calls(n);
    auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), parmap::iota(n), [&](std::size_t i) {
        calls[i].fetch_add(1);
        return i;
    });
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += calls[i].load() != 1 || got[i] != i;
    CHECK(got.size() == n);
    CHECK(wrong == 0);
}

TEMPLATE_LIST_TEST_CASE("parallel_map over a large input (1e6 elements)", "[map][large]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const std::size_t n = 1000000;

    static const std::vector<double> in = [] {
        std::vector<double> v(1000000);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i) * 0.5 - 1000.0;
        return v;
    }();
    static const std::vector<double> want = [] {
        std::vector<double> v;
        v.reserve(in.size());
        for (double x : in) v.push_back(x * x + 1.0);
        return v;
    }();

    auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), in, [](double x) { return x * x + 1.0; });
    REQUIRE(got.size() == n);
    CHECK(mismatch(got, want) == "");
}

TEMPLATE_LIST_TEST_CASE("parallel_map runs small inputs (at most an explicit grain) inline on the caller", "[map][inline]", backends) {
    CONFORMANCE_HOST_ONLY("Thrust launches even small inputs") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const std::size_t n = GENERATE(as<std::size_t>{}, 1, 100, parmap::chunks::default_grain);
        INFO("backend=" << TestType::name << " workers=" << workers << " n=" << n);

        const std::thread::id caller = std::this_thread::get_id();
        std::vector<char> on_caller(n, 0);
        // automatic(grain) with the default grain: untimed, so even the first element cannot make it share.
        auto got = parmap::parallel_map(TestType::policy().workers(workers).chunk(parmap::chunks::automatic(parmap::chunks::default_grain)),
                                        parmap::iota(n), [&](std::size_t i) {
            on_caller[i] = std::this_thread::get_id() == caller;
            return 2 * i;
        });
        CHECK(std::count(on_caller.begin(), on_caller.end(), 1) == static_cast<std::ptrdiff_t>(n));
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += got[i] != 2 * i;
        CHECK(wrong == 0);

        // An explicit grain: inputs of at most that many elements are inline too.
        std::vector<char> on_caller_small(64, 0);
        parmap::parallel_map(TestType::policy().workers(workers).chunk(parmap::chunks::automatic(64)), parmap::iota(std::size_t{64}),
                             [&](std::size_t i) {
                                 on_caller_small[i] = std::this_thread::get_id() == caller;
                                 return i;
                             });
        CHECK(std::count(on_caller_small.begin(), on_caller_small.end(), 1) == 64);
    }
}

TEMPLATE_LIST_TEST_CASE("the default chunking shares a small input whose elements are expensive", "[map][inline]", backends) {
    CONFORMANCE_HOST_ONLY("Thrust launches even small inputs") {
        if constexpr (is_serial<TestType>) {
            SUCCEED("serial has one thread");
        } else {
            // 40 elements of 5 ms (smallpt's rows are like this): within the grain, but far too much work for
            // one thread. The caller times the first one and hands the rest out.
            const std::size_t n = 40;
            std::vector<std::thread::id> ran_on(n);
            auto got = parmap::parallel_map(TestType::policy().workers(2), parmap::iota(n), [&](std::size_t i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                ran_on[i] = std::this_thread::get_id();
                return 3 * i;
            });
            std::sort(ran_on.begin(), ran_on.end());
            CHECK(std::unique(ran_on.begin(), ran_on.end()) - ran_on.begin() == 2);
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < n; ++i) wrong += got[i] != 3 * i;
            CHECK(wrong == 0);

            // The same through parallel_map_reduce (whose timed prefix is a whole block) and parallel_for.
            std::vector<std::thread::id> reduced_on(n), for_on(n);
            const auto sum = parmap::parallel_map_reduce(TestType::policy().workers(2), parmap::iota(n * 16), [&](std::size_t i) {
                if (i % 16 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
                reduced_on[i / 16] = std::this_thread::get_id();
                return i;
            }, std::size_t{0}, std::plus<>{});
            CHECK(sum == n * 16 * (n * 16 - 1) / 2);
            parmap::parallel_for(TestType::policy().workers(2), n, [&](std::size_t i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
                for_on[i] = std::this_thread::get_id();
            });
            for (auto* ids : {&reduced_on, &for_on}) {
                std::sort(ids->begin(), ids->end());
                CHECK(std::unique(ids->begin(), ids->end()) - ids->begin() == 2);
            }
        }
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map accepts every kind of container", "[map][inputs]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 1009, 5003);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking);
    const std::vector<long> in = make_input(n);
    std::vector<long> want;
    for (long x : in) want.push_back(affine(x));
    auto f = [](long x) { return affine(x); };

    SECTION("std::vector") {
        std::vector<long> v(in.begin(), in.end());
        CHECK(mismatch(parmap::parallel_map(policy, v, f), want) == "");
    }
    SECTION("const std::vector") {
        const std::vector<long>& v = in;
        CHECK(mismatch(parmap::parallel_map(policy, v, f), want) == "");
    }
    SECTION("rvalue std::vector") {
        CHECK(mismatch(parmap::parallel_map(policy, std::vector<long>(in), f), want) == "");
    }
    SECTION("std::deque") {
        std::deque<long> d(in.begin(), in.end());
        CHECK(mismatch(parmap::parallel_map(policy, d, f), want) == "");
    }
    SECTION("std::list (forward iterators)") {
        std::list<long> l(in.begin(), in.end());
        CHECK(mismatch(parmap::parallel_map(policy, l, f), want) == "");
        const std::list<long>& cl = l;
        CHECK(mismatch(parmap::parallel_map(policy, cl, f), want) == "");
    }
    SECTION("std::array") {
        std::array<long, 1013> a{};
        for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<long>(i * i % 97);
        std::vector<long> want_a;
        for (long x : a) want_a.push_back(affine(x));
        CHECK(mismatch(parmap::parallel_map(policy, a, f), want_a) == "");
        const std::array<long, 1013>& ca = a;
        CHECK(mismatch(parmap::parallel_map(policy, ca, f), want_a) == "");
    }
    SECTION("f receives the element itself (a reference into the container)") {
        if constexpr (is_host_backend<TestType>) {  // a device backend gives f copies
            std::vector<long> v(in.begin(), in.end());
            auto index = parmap::parallel_map(policy, v, [&v](const long& x) { return static_cast<std::size_t>(&x - v.data()); });
            std::size_t wrong = 0;
            for (std::size_t i = 0; i < n; ++i) wrong += index[i] != i;
            CHECK(index.size() == n);
            CHECK(wrong == 0);
        }
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map with the default policy", "[map][default]", backends) {
    // The default policy is parmap::threads (PARMAP_DEFAULT_BACKEND is not defined here).
    static_assert(std::is_same_v<std::decay_t<decltype(parmap::default_policy())>, parmap::policy<parmap::threads_backend>>);
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2049, 100003);
    INFO("n=" << n);
    const std::vector<long> in = make_input(n);
    std::vector<long> want;
    for (long x : in) want.push_back(affine(x));
    CHECK(mismatch(parmap::parallel_map(in, [](long x) { return affine(x); }), want) == "");
    CHECK(mismatch(parmap::parallel_map(std::list<long>(in.begin(), in.end()), [](long x) { return affine(x); }), want) == "");
}

// ---- result types -------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("parallel_map collects move-only results (std::unique_ptr)", "[map][results]", backends) {
    CONFORMANCE_HOST_ONLY("results live in device memory") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 3001);
        CONFORMANCE_INFO(workers, chunking);
        INFO("n=" << n);

        auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), parmap::iota(n),
                                        [](std::size_t i) { return std::make_unique<int>(static_cast<int>(i) * 5); });
        static_assert(std::is_same_v<decltype(got), std::vector<std::unique_ptr<int>>>);
        REQUIRE(got.size() == n);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += !got[i] || *got[i] != static_cast<int>(i) * 5;
        CHECK(wrong == 0);
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map collects results that are not default-constructible", "[map][results]", backends) {
    CONFORMANCE_HOST_ONLY("results live in device memory") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 3001);
        CONFORMANCE_INFO(workers, chunking);
        INFO("n=" << n);

        const std::vector<long> in = make_input(n);
        auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), in, [](long x) { return value_only(affine(x)); });
        static_assert(std::is_same_v<decltype(got), std::vector<value_only>>);
        REQUIRE(got.size() == n);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += got[i].value != affine(in[i]);
        CHECK(wrong == 0);
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map collects bool results into a correct std::vector<bool>", "[map][results]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 63, 65, 100003);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    auto predicate = [](std::size_t i) { return i % 3 == 0 || i % 7 == 1; };
    // Repeat: packed bits written from several threads are a race that does not show every time.
    for (int rep = 0; rep < 3; ++rep) {
        auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), parmap::iota(n), predicate);
        static_assert(std::is_same_v<decltype(got), std::vector<bool>>);
        REQUIRE(got.size() == n);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += got[i] != predicate(i);
        CHECK(wrong == 0);
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map collects std::string results", "[map][results]", backends) {
    CONFORMANCE_HOST_ONLY("results live in device memory") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 3001);
        CONFORMANCE_INFO(workers, chunking);
        INFO("n=" << n);

        auto make = [](std::size_t i) { return "element " + std::to_string(i) + std::string(i % 40, 'x'); };
        std::vector<std::string> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(make(i));
        auto got = parmap::parallel_map(make_policy<TestType>(workers, chunking), parmap::iota(n), make);
        static_assert(std::is_same_v<decltype(got), std::vector<std::string>>);
        CHECK(mismatch(got, want) == "");
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map's result type is f's decayed return type", "[map][results]", backends) {
    static int table[4] = {10, 20, 30, 40};
    const auto policy = TestType::policy();
    auto refs = parmap::parallel_map(policy, parmap::iota(4), [](int i) -> const int& { return table[i]; });
    static_assert(std::is_same_v<decltype(refs), std::vector<int>>);
    CHECK(refs == std::vector<int>{10, 20, 30, 40});
}

// Maps i -> counted<DefaultConstructible>(i) and checks the values and that every object built was destroyed once.
template <bool DefaultConstructible, class Policy>
void check_counted_results(const Policy& policy, std::size_t n) {
    using result = counted<DefaultConstructible>;
    auto& stats = result::stats();
    stats.reset();
    {
        auto got = parmap::parallel_map(policy, parmap::iota(n), [](std::size_t i) { return result(static_cast<int>(i)); });
        REQUIRE(got.size() == n);
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += got[i].value() != static_cast<int>(i);
        CHECK(wrong == 0);
    }
    CHECK(stats.constructed.load() == stats.destroyed.load());
    CHECK(stats.bad_destroy.load() == 0);
}

TEMPLATE_LIST_TEST_CASE("parallel_map of counted results constructs and destroys each object once", "[map][results][leak]", backends) {
    CONFORMANCE_HOST_ONLY("results live in device memory") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        CONFORMANCE_INFO(workers, chunking);
        const auto policy = make_policy<TestType>(workers, chunking);
        SECTION("default-constructible") { check_counted_results<true>(policy, 4099); }
        SECTION("not default-constructible") { check_counted_results<false>(policy, 4099); }
    }
}

// ---- parmap::iota -------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("parmap::iota(n) is the indices 0..n-1", "[map][iota]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const auto policy = make_policy<TestType>(workers, chunking);

    SECTION("unsigned") {
        const std::size_t n = 5003;
        auto got = parmap::parallel_map(policy, parmap::iota(n), [](std::size_t i) { return i * i; });
        std::vector<std::size_t> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(i * i);
        CHECK(mismatch(got, want) == "");
    }
    SECTION("signed") {
        static_assert(std::is_same_v<decltype(*parmap::iota(5).begin()), int>);
        auto got = parmap::parallel_map(policy, parmap::iota(3001), [](int i) { return i - 1500; });
        static_assert(std::is_same_v<decltype(got), std::vector<int>>);
        std::vector<int> want;
        for (int i = 0; i < 3001; ++i) want.push_back(i - 1500);
        CHECK(mismatch(got, want) == "");
    }
    SECTION("empty") {
        std::atomic<int> calls{0};
        auto f = [&](auto i) {
            calls.fetch_add(1);
            return i;
        };
        CHECK(parmap::parallel_map(policy, parmap::iota(0), f).empty());
        CHECK(parmap::parallel_map(policy, parmap::iota(std::size_t{0}), f).empty());
        CHECK(calls.load() == 0);
    }
    SECTION("negative n is empty") {
        CHECK(parmap::iota(-5).size() == 0);
        CHECK(parmap::iota(-5).empty());
        std::atomic<int> calls{0};
        auto got = parmap::parallel_map(policy, parmap::iota(-5), [&](int i) {
            calls.fetch_add(1);
            return i;
        });
        CHECK(got.empty());
        CHECK(calls.load() == 0);
    }
    SECTION("iota(first, last) with negative values") {
        auto got = parmap::parallel_map(policy, parmap::iota(-2500, 2600), [](int i) { return 2 * i; });
        std::vector<int> want;
        for (int i = -2500; i < 2600; ++i) want.push_back(2 * i);
        CHECK(mismatch(got, want) == "");
        CHECK(parmap::parallel_map(policy, parmap::iota(10, 3), [](int i) { return i; }).empty());
    }
}

// ---- parmap::zip --------------------------------------------------------------------------------

TEMPLATE_LIST_TEST_CASE("parmap::zip spreads the elements into f(a_i b_i ...)", "[map][zip]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 4001);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking);

    std::vector<double> a(n);
    std::vector<int> b(n);
    std::list<long> c;
    for (std::size_t i = 0; i < n; ++i) {
        a[i] = static_cast<double>(i) + 0.25;
        b[i] = static_cast<int>(i % 13) + 1;
        c.push_back(static_cast<long>(i) * 1000);
    }

    SECTION("two ranges") {
        std::vector<double> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(a[i] / b[i]);
        auto got = parmap::parallel_map(policy, parmap::zip(a, b), [](double x, int y) { return x / y; });
        CHECK(mismatch(got, want) == "");
        // A std function object works as f too (Python's starmap).
        std::vector<double> want_mul;
        for (std::size_t i = 0; i < n; ++i) want_mul.push_back(a[i] * b[i]);
        CHECK(mismatch(parmap::parallel_map(policy, parmap::zip(a, b), std::multiplies<>{}), want_mul) == "");
    }
    SECTION("three ranges, one of them a std::list") {
        std::vector<double> want;
        auto it = c.begin();
        for (std::size_t i = 0; i < n; ++i, ++it) want.push_back(a[i] * b[i] + static_cast<double>(*it));
        auto got = parmap::parallel_map(policy, parmap::zip(a, b, c),
                                        [](double x, int y, long z) { return x * y + static_cast<double>(z); });
        CHECK(mismatch(got, want) == "");
    }
    SECTION("an rvalue vector is owned by the zip") {
        auto make = [n] {
            std::vector<int> v(n);
            for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i) * 3;
            return v;
        };
        auto z = parmap::zip(make(), b);  // the temporary ends here: the zip must have moved it in
        std::vector<int> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(static_cast<int>(i) * 3 - b[i]);
        CHECK(mismatch(parmap::parallel_map(policy, z, [](int x, int y) { return x - y; }), want) == "");
        CHECK(mismatch(parmap::parallel_map(policy, parmap::zip(make(), b), [](int x, int y) { return x - y; }), want) == "");
    }
    SECTION("zip with iota and a const vector") {
        const std::vector<int>& cb = b;
        std::vector<std::size_t> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(i * 100 + static_cast<std::size_t>(b[i]));
        auto got = parmap::parallel_map(policy, parmap::zip(parmap::iota(n), cb),
                                        [](std::size_t i, int y) { return i * 100 + static_cast<std::size_t>(y); });
        CHECK(mismatch(got, want) == "");
    }
    SECTION("the zipped elements are references: f may write through them") {
      if constexpr (is_host_backend<TestType>) {  // a device backend gives f copies
        std::vector<int> out(n, -1);
        parmap::parallel_map(policy, parmap::zip(b, out), [](int y, int& o) {
            o = y * 2;
            return 0;
        });
        std::vector<int> want;
        for (std::size_t i = 0; i < n; ++i) want.push_back(b[i] * 2);
        CHECK(mismatch(out, want) == "");
      }
    }
}

TEST_CASE("parmap::zip of ranges of different sizes throws std::invalid_argument naming both sizes", "[map][zip]") {
    std::vector<int> a(17), b(23), c(17);
    std::list<int> d(31);
    try {
        (void)parmap::zip(a, b);
        FAIL("zip of sizes 17 and 23 did not throw");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains("17") && Catch::Matchers::Contains("23"));
    }
    try {
        (void)parmap::zip(a, c, d);
        FAIL("zip of sizes 17, 17 and 31 did not throw");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains("17") && Catch::Matchers::Contains("31"));
    }
    try {
        (void)parmap::parallel_map(parmap::threads, parmap::zip(std::vector<int>(4), b), [](int x, int y) { return x + y; });
        FAIL("parallel_map over a zip of sizes 4 and 23 did not throw");
    } catch (const std::invalid_argument& e) {
        CHECK_THAT(e.what(), Catch::Matchers::Contains("4") && Catch::Matchers::Contains("23"));
    }
    CHECK_NOTHROW(parmap::zip(a, c));
}

TEMPLATE_LIST_TEST_CASE("a proxy result (a generic lambda returning a vector<bool> element) is stored as its value", "[map][types]", backends) {
    CONFORMANCE_HOST_ONLY("std::vector<bool> has no contiguous storage to copy to a device") {
        std::vector<bool> bits(5000);
        for (std::size_t i = 0; i < bits.size(); ++i) bits[i] = i % 3 == 0;
        auto got = parmap::parallel_map(TestType::policy(), bits, [](auto b) { return b; });
        static_assert(std::is_same_v<decltype(got), std::vector<bool>>);
        CHECK(got == bits);
        auto negated = parmap::parallel_map(TestType::policy(), parmap::zip(bits, parmap::iota(bits.size())),
                                            [](auto b, std::size_t) { return b; });
        static_assert(std::is_same_v<decltype(negated), std::vector<bool>>);
        CHECK(negated == bits);
        std::vector<bool> out(bits.size());
        parmap::parallel_map(TestType::policy(), bits.begin(), bits.end(), out.begin(), [](auto b) { return b; });
        CHECK(out == bits);
    }
}

TEMPLATE_LIST_TEST_CASE("iota over a signed type longer than the type's maximum neither overflows nor wraps", "[map][iota]", backends) {
    constexpr int lo = std::numeric_limits<int>::min(), hi = std::numeric_limits<int>::max();
    const auto all_ints = parmap::iota(lo, hi);
    CHECK(all_ints.size() == (std::size_t{1} << 32) - 1);
    CHECK(all_ints.begin()[static_cast<std::ptrdiff_t>((std::size_t{1} << 32) - 2)] == hi - 1);
    CHECK(all_ints.end() - all_ints.begin() == static_cast<std::ptrdiff_t>((std::size_t{1} << 32) - 1));
    CHECK(parmap::iota(std::numeric_limits<long long>::min(), std::numeric_limits<long long>::max()).size() ==
          std::numeric_limits<std::size_t>::max());

    // Every int16_t, as an exhaustive sweep of a type is written; and the two ends of int.
    using i16 = std::int16_t;
    const auto shorts = parmap::iota(std::numeric_limits<i16>::min(), std::numeric_limits<i16>::max());
    auto got = parmap::parallel_map(TestType::policy(), shorts, [](i16 x) { return static_cast<int>(x); });
    std::size_t wrong = got.size() != 65535;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != static_cast<int>(i) - 32768;
    CHECK(wrong == 0);
    const long long sum = parmap::parallel_map_reduce(TestType::policy(), shorts, [](i16 x) { return static_cast<long long>(x); },
                                                      0LL, std::plus<>{});
    CHECK(sum == -65535);  // -32768 + ... + 32766
    auto top = parmap::parallel_map(TestType::policy(), parmap::iota(hi - 3, hi), [](int x) { return x; });
    CHECK(top == std::vector<int>{hi - 3, hi - 2, hi - 1});
    auto bottom = parmap::parallel_map(TestType::policy(), parmap::iota(lo, lo + 3), [](int x) { return x; });
    CHECK(bottom == std::vector<int>{lo, lo + 1, lo + 2});
}

TEMPLATE_LIST_TEST_CASE("parmap::span gives C arrays (pointer, count) to zip and every front-end", "[map][inputs]", backends) {
    std::vector<double> a(3001), b(3001);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = 0.5 * static_cast<double>(i), b[i] = static_cast<double>(i % 7);
    const double* x = a.data();
    double* y = b.data();
    auto sums = parmap::parallel_map(TestType::policy(), parmap::zip(parmap::span(x, a.size()), parmap::span(y, b.size())),
                                     [](double p, double q) { return p + q; });
    std::size_t wrong = sums.size() != a.size();
    for (std::size_t i = 0; i < sums.size(); ++i) wrong += sums[i] != a[i] + b[i];
    CHECK(wrong == 0);
    const double total = parmap::parallel_map_reduce(TestType::policy(), parmap::span(x, a.size()), [](double v) { return v; }, 0.0, std::plus<>{});
    CHECK(total == parmap::parallel_map_reduce(parmap::serial, a, [](double v) { return v; }, 0.0, std::plus<>{}));
}

TEMPLATE_LIST_TEST_CASE("a const zip is read through its read-only iterators", "[map][zip]", backends) {
    std::vector<int> a(2500), b(2500);
    for (std::size_t i = 0; i < a.size(); ++i) a[i] = static_cast<int>(i), b[i] = static_cast<int>(3 * i % 17);
    const auto zipped = parmap::zip(a, b);
    static_assert(std::is_same_v<decltype(*zipped.begin()), std::tuple<const int&, const int&>>);
    auto got = parmap::parallel_map(TestType::policy(), zipped, [](int x, int y) { return x - y; });
    std::size_t wrong = got.size() != a.size();
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != a[i] - b[i];
    CHECK(wrong == 0);
    const int total = parmap::parallel_map_reduce(TestType::policy(), zipped, [](int x, int y) { return x + y; }, 0, std::plus<>{});
    int want = 0;
    for (std::size_t i = 0; i < a.size(); ++i) want += a[i] + b[i];
    CHECK(total == want);
}
