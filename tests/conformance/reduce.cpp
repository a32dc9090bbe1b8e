// parallel_map_reduce(policy, range, f, init, op) and its default-policy overload: op(init, f(x_0) op ... op
// f(x_{n-1})), init applied once, order kept for a non-commutative op, and bitwise the same floating-point
// result on every backend, worker count and chunking.
#include "common.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <deque>
#include <functional>
#include <list>
#include <string>

#include <pthread.h>

using namespace conformance;

namespace {

std::int64_t wobble(std::size_t i) { return static_cast<std::int64_t>(i * i % 1000003) - 500000; }

/// Values whose sum depends on the order of the additions: large oscillating terms and small ones.
const std::vector<double>& order_sensitive_values() {
    static const std::vector<double> values = [] {
        std::vector<double> v(1000000);
        for (std::size_t i = 0; i < v.size(); ++i) v[i] = std::sin(static_cast<double>(i)) * 1e3 + 1.0 / static_cast<double>(i + 1);
        return v;
    }();
    return values;
}

std::uint64_t bits_of(double d) {
    static_assert(sizeof(double) == sizeof(std::uint64_t));
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

/// A 2x2 matrix of integers modulo 2^64: multiplication is associative and not commutative.
struct mat2 {
    std::uint64_t a, b, c, d;
    friend bool operator==(const mat2& x, const mat2& y) { return x.a == y.a && x.b == y.b && x.c == y.c && x.d == y.d; }
};
mat2 operator*(const mat2& x, const mat2& y) {
    return {x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c, x.c * y.b + x.d * y.d};
}
std::ostream& operator<<(std::ostream& os, const mat2& m) { return os << "[" << m.a << " " << m.b << "; " << m.c << " " << m.d << "]"; }
mat2 matrix_for(std::size_t i) { return {i % 5 + 1, 1, i % 3, i % 7 + 2}; }

}  // namespace

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce of integers equals a plain loop exactly with init applied once", "[reduce]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 15, 16, 17, 1023, 1025, 16385, 100003);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    const std::int64_t init = 1000;
    std::int64_t want = init;
    for (std::size_t i = 0; i < n; ++i) want += wobble(i);

    const std::int64_t got = parmap::parallel_map_reduce(make_policy<TestType>(workers, chunking), parmap::iota(n),
                                                         [](std::size_t i) { return wobble(i); }, init, std::plus<>{});
    CHECK(got == want);
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce with n = 0 returns init and never calls f", "[reduce]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    std::atomic<int> calls{0};
    auto f = [&](int x) {
        calls.fetch_add(1);
        return x;
    };
    const std::vector<int> empty;
    CHECK(parmap::parallel_map_reduce(make_policy<TestType>(workers, chunking), empty, f, 42, std::plus<>{}) == 42);
    if constexpr (is_host_backend<TestType>) {  // std::string stays on the host
        auto g = [&](int x) {
            calls.fetch_add(1);
            return std::to_string(x);
        };
        CHECK(parmap::parallel_map_reduce(make_policy<TestType>(workers, chunking), empty, g, std::string("init"),
                                          [](std::string a, const std::string& b) { return a + b; }) == "init");
    }
    CHECK(calls.load() == 0);
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce keeps the order of a non-commutative op", "[reduce][order]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 2, 37, 5003, 20011);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking);

    SECTION("string concatenation") {
        if constexpr (is_host_backend<TestType>) {  // std::string stays on the host
            auto piece = [](std::size_t i) { return std::string(1, static_cast<char>('a' + i % 26)) + std::to_string(i % 10); };
            std::string want = "<";
            for (std::size_t i = 0; i < n; ++i) want += piece(i);
            const std::string got = parmap::parallel_map_reduce(policy, parmap::iota(n), piece, std::string("<"), std::plus<>{});
            CHECK(got.size() == want.size());
            CHECK(got == want);
        }
    }
    SECTION("2x2 integer matrix product") {
        const mat2 init{3, 1, 4, 1};
        mat2 want = init;
        mat2 product{1, 0, 0, 1};
        for (std::size_t i = 0; i < n; ++i) product = product * matrix_for(i);
        want = init * product;
        const mat2 got = parmap::parallel_map_reduce(policy, parmap::iota(n), [](std::size_t i) { return matrix_for(i); }, init,
                                                     [](const mat2& x, const mat2& y) { return x * y; });
        CHECK(got == want);
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce over every input kind", "[reduce][inputs]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 1009, 20011);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking);

    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = wobble(i);
    std::int64_t want = -7;
    for (std::int64_t x : v) want += x * 3;
    auto triple = [](std::int64_t x) { return x * 3; };

    CHECK(parmap::parallel_map_reduce(policy, v, triple, std::int64_t{-7}, std::plus<>{}) == want);
    const std::vector<std::int64_t>& cv = v;
    CHECK(parmap::parallel_map_reduce(policy, cv, triple, std::int64_t{-7}, std::plus<>{}) == want);
    CHECK(parmap::parallel_map_reduce(policy, std::deque<std::int64_t>(v.begin(), v.end()), triple, std::int64_t{-7}, std::plus<>{}) ==
          want);
    std::list<std::int64_t> l(v.begin(), v.end());
    CHECK(parmap::parallel_map_reduce(policy, l, triple, std::int64_t{-7}, std::plus<>{}) == want);

    // zip: f(a_i, b_i)
    std::vector<std::int64_t> w(n);
    for (std::size_t i = 0; i < n; ++i) w[i] = static_cast<std::int64_t>(i % 11) - 5;
    std::int64_t want_dot = 0;
    for (std::size_t i = 0; i < n; ++i) want_dot += v[i] * w[i];
    CHECK(parmap::parallel_map_reduce(policy, parmap::zip(v, w), [](std::int64_t a, std::int64_t b) { return a * b; }, std::int64_t{0},
                                      std::plus<>{}) == want_dot);
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce result type is init's type", "[reduce][types]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const auto policy = make_policy<TestType>(workers, chunking);
    const std::size_t n = 10007;

    SECTION("int elements summed as long long (past INT_MAX)") {
        auto big = [](std::size_t i) { return 1000000000 + static_cast<int>(i); };
        long long want = 0;
        for (std::size_t i = 0; i < n; ++i) want += big(i);
        const auto got = parmap::parallel_map_reduce(policy, parmap::iota(n), big, 0LL, std::plus<>{});
        static_assert(std::is_same_v<std::decay_t<decltype(got)>, long long>);
        CHECK(got == want);
    }
    SECTION("a result type that is not default-constructible") {
        if constexpr (is_host_backend<TestType>) {  // device results are default-constructible
            long want = 5;
            for (std::size_t i = 0; i < n; ++i) want += static_cast<long>(i);
            const value_only got = parmap::parallel_map_reduce(policy, parmap::iota(n), [](std::size_t i) { return value_only(static_cast<long>(i)); },
                                                               value_only(5), [](const value_only& a, const value_only& b) { return value_only(a.value + b.value); });
            CHECK(got.value == want);
        }
    }
}

TEST_CASE("parallel_map_reduce with the default policy", "[reduce][default]") {
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2049, 100003);
    INFO("n=" << n);
    std::int64_t want = 11;
    for (std::size_t i = 0; i < n; ++i) want += wobble(i);
    CHECK(parmap::parallel_map_reduce(parmap::iota(n), [](std::size_t i) { return wobble(i); }, std::int64_t{11}, std::plus<>{}) == want);

    std::vector<std::int64_t> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = wobble(i);
    CHECK(parmap::parallel_map_reduce(v, [](std::int64_t x) { return x; }, std::int64_t{11}, std::plus<>{}) == want);
}

// ---- bitwise determinism ------------------------------------------------------------------------

TEST_CASE("the determinism data is sensitive to the order of summation", "[reduce][bits]") {
    // Guards the next test against passing vacuously: a different association of the same sum
    // must give different bits for this data.
    const auto& v = order_sensitive_values();
    double forward = 0.0, backward = 0.0;
    for (double x : v) forward += x;
    for (auto it = v.rbegin(); it != v.rend(); ++it) backward += *it;
    double pairwise_halves = 0.0, second = 0.0;
    for (std::size_t i = 0; i < v.size() / 2; ++i) pairwise_halves += v[i];
    for (std::size_t i = v.size() / 2; i < v.size(); ++i) second += v[i];
    pairwise_halves += second;
    CHECK(bits_of(forward) != bits_of(backward));
    CHECK(bits_of(forward) != bits_of(pairwise_halves));
}

TEST_CASE("parallel_map_reduce of doubles gives the same bits as parmap::serial on every configuration (parmap::verify_reduce)",
          "[reduce][bits]") {
    const std::size_t n = GENERATE(as<std::size_t>{}, 1000000, 100003, 16385, 1000);
    INFO("n=" << n);

    const auto& all = order_sensitive_values();
    const std::vector<double> prefix =
        n == all.size() ? std::vector<double>{} : std::vector<double>(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<double>& v = n == all.size() ? all : prefix;
    auto identity = [](double x) { return x; };
    const double init = 0.5;

    // Every configuration (every backend, worker count and chunking) against parmap::serial, bit for bit.
    const parmap::verify_report report = parmap::verify_reduce(v, identity, init, std::plus<>{});
    INFO(report);
    CHECK(report.ok());
    CHECK(report.configurations().size() == 1 + 2 * 4 * 7 + (std::tuple_size_v<backends> == 4 ? 4 : 0));

    // The reference itself against a plain loop: rounding differs, a lost element would not fit.
    double plain = init, magnitude = 0.0;
    for (double x : v) {
        plain += x;
        magnitude += std::fabs(x);
    }
    CHECK(parmap::parallel_map_reduce(parmap::serial, v, identity, init, std::plus<>{}) ==
          Approx(plain).epsilon(0).margin(1e-12 * magnitude));
}

namespace {

/// A 128 KB histogram held by value: 64 of them (the old reduction tree's slots) need 8.4 MB of stack.
struct big_histogram {
    std::array<std::uint64_t, 16384> bins{};
    big_histogram() = default;
    explicit big_histogram(std::size_t bin) { bins[bin % bins.size()] = 1; }
};

big_histogram add(big_histogram a, const big_histogram& b) {
    for (std::size_t i = 0; i < a.bins.size(); ++i) a.bins[i] += b.bins[i];
    return a;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr std::size_t stack_for_a_few_histograms = std::size_t{6} << 20;
#else
constexpr std::size_t stack_for_a_few_histograms = std::size_t{2} << 20;
#endif

/// Runs fn on a thread whose stack is `bytes` long; returns false if the thread could not be made.
template <class Fn>
bool on_small_stack(std::size_t bytes, Fn fn) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, bytes);
    pthread_t thread;
    auto trampoline = [](void* p) -> void* {
        (*static_cast<Fn*>(p))();
        return nullptr;
    };
    const bool made = pthread_create(&thread, &attr, trampoline, &fn) == 0;
    pthread_attr_destroy(&attr);
    if (made) pthread_join(thread, nullptr);
    return made;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce with a 128 KB value type needs a few T of stack, not 64", "[reduce][stack]", backends) {
    CONFORMANCE_HOST_ONLY("a 128 KB result is no device type") {
        const std::size_t n = 100003;
        std::uint64_t total = 0, bin7 = 0;
        // A serial fold of a by-value T keeps a few T on the stack (the accumulator, f's result, op's
        // argument and result); 2 MB is 16 of them. The old tree kept 64 (8.4 MB) and crashed here.
        // AddressSanitizer pads every 128 KB local with redzones: it gets 6 MB, still less than 64 T.
        const bool ran = on_small_stack(stack_for_a_few_histograms, [&] {
            const big_histogram h = parmap::parallel_map_reduce(TestType::policy(), parmap::iota(n), [](std::size_t i) { return big_histogram(i); },
                                                                big_histogram(), [](big_histogram a, const big_histogram& b) { return add(std::move(a), b); });
            for (std::uint64_t c : h.bins) total += c;
            bin7 = h.bins[7];
        });
        REQUIRE(ran);
        CHECK(total == n);
        CHECK(bin7 == (n - 7 + 16383) / 16384);
    }
}
