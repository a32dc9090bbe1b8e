// parallel_map(policy, first, last, out, f): like std::transform, writes f(*it) to the range at `out`
// and returns the end of the output; forward (non-random-access) iterators in and out work too.
#include "common.hpp"

#include <deque>
#include <iterator>
#include <list>
#include <string>

using namespace conformance;

namespace {

int twice_plus_one(int x) { return 2 * x + 1; }

std::vector<int> make_input(std::size_t n) {
    std::vector<int> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<int>(i % 2003) - 1000;
    return v;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("iterator form: vector to vector returns the output end and writes nothing past it", "[iterator]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 13, 2048, 2049, 10007);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    const std::vector<int> in = make_input(n);
    std::vector<int> out(n + 5, 12345);  // longer than the input: the tail must stay untouched
    auto end = parmap::parallel_map(make_policy<TestType>(workers, chunking), in.begin(), in.end(), out.begin(),
                                    [](int x) { return twice_plus_one(x); });
    static_assert(std::is_same_v<decltype(end), std::vector<int>::iterator>);
    CHECK(end - out.begin() == static_cast<std::ptrdiff_t>(n));

    std::vector<int> want;
    for (int x : in) want.push_back(twice_plus_one(x));
    for (int k = 0; k < 5; ++k) want.push_back(12345);
    CHECK(mismatch(out, want) == "");
}

TEMPLATE_LIST_TEST_CASE("iterator form: std::list in and std::list out (forward iterators)", "[iterator][forward]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 13, 2049, 10007);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking);

    const std::vector<int> source = make_input(n);
    const std::list<int> in(source.begin(), source.end());
    std::vector<int> want;
    for (int x : source) want.push_back(twice_plus_one(x));

    SECTION("list to list") {
        std::list<int> out(n + 3, 777);
        auto end = parmap::parallel_map(policy, in.begin(), in.end(), out.begin(), [](int x) { return twice_plus_one(x); });
        static_assert(std::is_same_v<decltype(end), std::list<int>::iterator>);
        CHECK(end == std::next(out.begin(), static_cast<std::ptrdiff_t>(n)));
        CHECK(static_cast<std::size_t>(std::distance(end, out.end())) == 3);
        std::vector<int> got(out.begin(), out.end());
        std::vector<int> want_all = want;
        want_all.insert(want_all.end(), 3, 777);
        CHECK(mismatch(got, want_all) == "");
    }
    SECTION("list to vector") {
        std::vector<int> out(n);
        auto end = parmap::parallel_map(policy, in.begin(), in.end(), out.begin(), [](int x) { return twice_plus_one(x); });
        CHECK(end == out.end());
        CHECK(mismatch(out, want) == "");
    }
    SECTION("vector to list") {
        std::list<int> out(n);
        auto end = parmap::parallel_map(policy, source.begin(), source.end(), out.begin(), [](int x) { return twice_plus_one(x); });
        CHECK(end == out.end());
        CHECK(mismatch(out, want) == "");
    }
    SECTION("deque to deque, const input iterators") {
        const std::deque<int> d(source.begin(), source.end());
        std::deque<int> out(n);
        auto end = parmap::parallel_map(policy, d.cbegin(), d.cend(), out.begin(), [](int x) { return twice_plus_one(x); });
        CHECK(end == out.end());
        CHECK(mismatch(out, want) == "");
    }
    SECTION("raw pointers") {
        std::vector<int> out(n);
        int* end = parmap::parallel_map(policy, source.data(), source.data() + n, out.data(), [](int x) { return twice_plus_one(x); });
        CHECK(end == out.data() + n);
        CHECK(mismatch(out, want) == "");
    }
}

TEMPLATE_LIST_TEST_CASE("iterator form: converting element types and an empty range", "[iterator]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const auto policy = make_policy<TestType>(workers, chunking);

    SECTION("int to std::string") {
        if constexpr (is_host_backend<TestType>) {  // std::string stays on the host
            const std::vector<int> in = make_input(3001);
            std::vector<std::string> out(in.size());
            auto end = parmap::parallel_map(policy, in.begin(), in.end(), out.begin(), [](int x) { return std::to_string(x); });
            CHECK(end == out.end());
            std::vector<std::string> want;
            for (int x : in) want.push_back(std::to_string(x));
            CHECK(mismatch(out, want) == "");
        }
    }
    SECTION("empty input returns out and never calls f") {
        std::vector<int> in;
        std::list<int> out(2, 9);
        std::atomic<int> calls{0};
        auto f = [&](int x) {
            calls.fetch_add(1);
            return x;
        };
        CHECK(parmap::parallel_map(policy, in.begin(), in.end(), out.begin(), f) == out.begin());
        CHECK(calls.load() == 0);
        CHECK(out == std::list<int>{9, 9});
    }
}

TEMPLATE_LIST_TEST_CASE("iterator form: writing bools into a std::vector<bool>", "[iterator][results]", backends) {
    // vector<bool>::iterator is a random-access iterator to packed bits; writing neighbouring bits from
    // several threads at once is a data race, so the result must still come out right.
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const std::size_t n = 100003;
    auto predicate = [](std::size_t i) { return i % 3 == 0 || i % 7 == 1; };
    const auto in = parmap::iota(n);
    for (int rep = 0; rep < 3; ++rep) {
        std::vector<bool> out(n, false);
        auto end = parmap::parallel_map(make_policy<TestType>(workers, chunking), in.begin(), in.end(), out.begin(), predicate);
        CHECK(end == out.end());
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < n; ++i) wrong += out[i] != predicate(i);
        CHECK(wrong == 0);
    }
}
