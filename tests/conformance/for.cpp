// parallel_for(policy, n, f) and parallel_for(n, f): f(i) exactly once for every i in [0, n).
#include "common.hpp"

using namespace conformance;

TEMPLATE_LIST_TEST_CASE("parallel_for calls f(i) exactly once for every i below n", "[for]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2, 13, 2048, 2049, 10007, 200003);
    CONFORMANCE_INFO(workers, chunking);
    INFO("n=" << n);

    std::vector<std::atomic<unsigned>> calls(n);
    std::atomic<std::size_t> out_of_range{0};
    parmap::parallel_for(make_policy<TestType>(workers, chunking), n, [&](std::size_t i) {
        if (i >= n) {
            out_of_range.fetch_add(1);
            return;
        }
        calls[i].fetch_add(1, std::memory_order_relaxed);
    });
    std::size_t not_once = 0;
    for (std::size_t i = 0; i < n; ++i) not_once += calls[i].load() != 1;
    CHECK(out_of_range.load() == 0);
    CHECK(not_once == 0);
}

TEMPLATE_LIST_TEST_CASE("parallel_for writes y[i] = f(x[i]) like a plain loop", "[for]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const std::size_t n = 50021;

    std::vector<double> x(n), y(n, -1.0), want(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i) / 7.0;
    for (std::size_t i = 0; i < n; ++i) want[i] = 2.0 * x[i] + 1.0;
    parmap::parallel_for(make_policy<TestType>(workers, chunking), n, [&](std::size_t i) { y[i] = 2.0 * x[i] + 1.0; });
    CHECK(mismatch(y, want) == "");
}

TEMPLATE_LIST_TEST_CASE("parallel_for with n = 0 never calls f", "[for]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    std::atomic<int> calls{0};
    parmap::parallel_for(make_policy<TestType>(workers, chunking), 0, [&](std::size_t) { calls.fetch_add(1); });
    CHECK(calls.load() == 0);
}

TEST_CASE("parallel_for with the default policy", "[for][default]") {
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 2049, 100003);
    INFO("n=" << n);
    std::vector<std::atomic<unsigned>> calls(n);
    parmap::parallel_for(n, [&](std::size_t i) { calls[i].fetch_add(1); });
    std::size_t not_once = 0;
    for (std::size_t i = 0; i < n; ++i) not_once += calls[i].load() != 1;
    CHECK(not_once == 0);

    // An int count converts to std::size_t.
    std::vector<int> y(1000, 0);
    parmap::parallel_for(1000, [&](std::size_t i) { y[i] = static_cast<int>(i) * 3; });
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < y.size(); ++i) wrong += y[i] != static_cast<int>(i) * 3;
    CHECK(wrong == 0);
}
