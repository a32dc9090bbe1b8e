// Nesting and many consumers: imap inside f of a parallel_map on the same pool, parallel_map inside f of
// an imap, imap inside imap, and several threads each walking their own imap on one pool. None may
// deadlock (the watchdog and ctest's timeout catch a hang); every result is checked against plain loops.
#include "common.hpp"

#include <numeric>

using namespace imap_tests;

namespace {

/// sum over j < m of work(i * m + j), by a plain loop.
long row_sum(std::size_t i, std::size_t m) {
    long sum = 0;
    for (std::size_t j = 0; j < m; ++j) sum += work(static_cast<long>(i * m + j));
    return sum;
}

template <class Stream>
long sum_of(Stream&& stream) {
    long sum = 0;
    for (long y : stream) sum += y;
    return sum;
}

} // namespace

TEST_CASE("imap inside parallel_map, parallel_map inside imap, imap inside imap: on a small pool, no deadlock", "[nesting]") {
    const std::size_t pool_size = GENERATE(as<std::size_t>{}, 1, 2, 3);
    const std::size_t buffer = GENERATE(as<std::size_t>{}, 0, 1, 4);
    INFO("pool=" << pool_size << " buffer=" << buffer);
    parmap::thread_pool pool(pool_size);
    const auto policy = parmap::threads.on(pool).buffer(buffer).chunk(parmap::chunks::dynamic(1));
    std::size_t n = 40, m = 300;  // not const: captured by value below on every compiler
    auto row = [&](std::size_t i) {
        return sum_of(parmap::imap(policy, parmap::iota(m), [i, m](std::size_t j) { return work(static_cast<long>(i * m + j)); }));
    };
    std::vector<long> want;
    for (std::size_t i = 0; i < n; ++i) want.push_back(row_sum(i, m));

    CHECK(conformance::mismatch(parmap::parallel_map(policy, parmap::iota(n), row), want) == "");
    auto by_map = [&](std::size_t i) {
        auto ys = parmap::parallel_map(policy.chunk(parmap::chunks::automatic(1)), parmap::iota(m),
                                       [i, m](std::size_t j) { return work(static_cast<long>(i * m + j)); });
        return std::accumulate(ys.begin(), ys.end(), 0L);
    };
    CHECK(conformance::mismatch(collect(parmap::imap(policy, parmap::iota(n), by_map)), want) == "");
    CHECK(conformance::mismatch(collect(parmap::imap(policy, parmap::iota(n), row)), want) == "");
    std::vector<long> unordered(n);
    for (auto&& [i, y] : parmap::imap_unordered(policy, parmap::iota(n), row)) unordered[i] = y;
    CHECK(conformance::mismatch(unordered, want) == "");
}

TEST_CASE("several threads each walk their own imap on one pool at once", "[nesting][consumers]") {
    const std::size_t pool_size = GENERATE(as<std::size_t>{}, 2, 3, 8);
    const std::size_t buffer = GENERATE(as<std::size_t>{}, 0, 1, 16);
    INFO("pool=" << pool_size << " buffer=" << buffer);
    parmap::thread_pool pool(pool_size);
    const auto policy = parmap::threads.on(pool).buffer(buffer);
    constexpr std::size_t consumers = 4, n = 5000;
    std::vector<long> got(consumers, 0);
    std::vector<std::thread> threads;
    for (std::size_t c = 0; c < consumers; ++c) {
        threads.emplace_back([&, c] {
            generator input(n);
            for (int rep = 0; rep < 3; ++rep) {
                got[c] += sum_of(parmap::imap(policy, parmap::iota(n), [c](std::size_t i) { return work(static_cast<long>(i + c)); }));
            }
        });
    }
    for (std::thread& t : threads) t.join();
    for (std::size_t c = 0; c < consumers; ++c) {
        long want = 0;
        for (std::size_t i = 0; i < n; ++i) want += work(static_cast<long>(i + c));
        CHECK(got[c] == 3 * want);
    }
}
