// Errors and control: an exception from f or from the input reaches the consumer at its element's turn
// (imap) or when it happens with its index (imap_unordered, as parmap::element_error), results before it
// are delivered, nothing leaks; .stop(token) throws parmap::cancelled at the consumer; .progress(cb).
#include "common.hpp"

#include <list>

using namespace imap_tests;
using conformance::counted;
using conformance::test_error;

namespace {

using result = counted<false>;

/// The index an exception from imap_unordered names, checking that it nests the original test_error.
std::size_t nested_index(const parmap::element_error& e) {
    try {
        e.rethrow_nested();
    } catch (const test_error& original) {
        return original.index() == e.index() ? e.index() : ~std::size_t{0};
    } catch (...) {
    }
    return ~std::size_t{0};
}

} // namespace

TEMPLATE_LIST_TEST_CASE("an exception from f or the input reaches the consumer at its element", "[errors]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    const std::size_t buffer = GENERATE(as<std::size_t>{}, 0, 1, 7);
    const std::size_t at = GENERATE(as<std::size_t>{}, 0, 1, 250, 499);
    const bool from_input = GENERATE(false, true);
    IMAP_INFO(workers, chunking, buffer);
    INFO("throws at " << at << (from_input ? " in the input" : " in f"));
    const auto policy = make_policy<TestType>(workers, chunking, buffer);
    auto f = [at, from_input](long x) {
        const auto i = static_cast<std::size_t>((x - 1) / 3);
        if (!from_input && i == at) throw test_error(i);
        return result(static_cast<int>(work(x) % 1000003));
    };
    result::stats().reset();
    {
        generator input(500, from_input ? at : generator::unbounded);
        std::size_t k = 0, thrown_at = ~std::size_t{0};
        bool in_order = true;
        try {
            for (auto&& y : parmap::imap(policy, input, f)) {
                in_order = in_order && y.value() == static_cast<int>(work(generator::value_at(k)) % 1000003);
                ++k;
            }
        } catch (const test_error& e) {
            thrown_at = e.index();
        }
        CHECK(in_order);
        CHECK(k == at);  // every result before the error, none after
        CHECK(thrown_at == at);
    }
    {
        generator input(500, from_input ? at : generator::unbounded);
        std::size_t thrown_at = ~std::size_t{0}, wrong = 0;
        try {
            for (auto&& [i, y] : parmap::imap_unordered(policy, input, f)) {
                // Elements after a failing f may complete first (they were taken before it failed); none
                // after a failing input exists.
                const bool possible = i < at || (i > at && !from_input);
                if (!possible || y.value() != static_cast<int>(work(generator::value_at(i)) % 1000003)) ++wrong;
            }
        } catch (const parmap::element_error& e) {
            thrown_at = nested_index(e);
            CHECK(std::string(e.what()).find("test_error at element " + std::to_string(at)) != std::string::npos);
        }
        CHECK(wrong == 0);
        CHECK(thrown_at == at);
    }
    CHECK(result::stats().constructed.load() == result::stats().destroyed.load());
    CHECK(result::stats().bad_destroy.load() == 0);
}

TEMPLATE_LIST_TEST_CASE("a signalled stop token throws cancelled at the consumer's next batch", "[stop]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    IMAP_INFO(workers, chunking, 0);
    parmap::stop_source source;
    const auto policy = make_policy<TestType>(workers, chunking, 0).stop(source.token());
    std::size_t k = 0;
    bool cancelled = false;
    try {
        for (auto&& y : parmap::imap(policy, generator(generator::unbounded), [](long x) { return work(x); })) {
            (void)y;
            if (++k == 100) source.request_stop();
        }
    } catch (const parmap::cancelled&) {
        cancelled = true;
    }
    CHECK(cancelled);
    // The token is checked once per batch of ready results (at most one grab: 1024), as parallel_map checks between chunks.
    CHECK(k >= 100);
    CHECK(k < 100 + 1024);
    // A token signalled before the walk: nothing is delivered.
    k = 0;
    cancelled = false;
    try {
        for (auto&& [i, y] : parmap::imap_unordered(policy, parmap::iota(10), [](int x) { return x; })) k += i + static_cast<std::size_t>(y);
    } catch (const parmap::cancelled&) {
        cancelled = true;
    }
    CHECK(cancelled);
    CHECK(k == 0);
}

TEMPLATE_LIST_TEST_CASE("progress reports (handed out, 0) while streaming and (n, n) at the end, on the consumer", "[progress]",
                        backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    INFO("backend=" << TestType::name << " workers=" << workers);
    std::vector<std::pair<std::size_t, std::size_t>> calls;  // the consumer's thread only: no lock
    const auto caller = std::this_thread::get_id();
    bool off_thread = false;
    const auto policy = TestType::policy().workers(workers).progress(
        [&](std::size_t done, std::size_t total) {
            off_thread = off_thread || std::this_thread::get_id() != caller;
            calls.emplace_back(done, total);
        },
        std::chrono::nanoseconds(0));
    std::size_t k = 0;
    for (auto&& y : parmap::imap(policy, parmap::iota(std::size_t{3000}), [](std::size_t i) { return i; })) k += (y == k);
    CHECK(k == 3000);
    CHECK_FALSE(off_thread);
    REQUIRE(!calls.empty());
    CHECK(calls.back() == std::make_pair(std::size_t{3000}, std::size_t{3000}));
    bool monotone = true;
    for (std::size_t c = 0; c + 1 < calls.size(); ++c) {
        monotone = monotone && calls[c].second == 0 && calls[c].first <= calls[c + 1].first;
    }
    CHECK(monotone);
}

TEMPLATE_LIST_TEST_CASE("an exception from f reaches the consumer at its element on forward inputs too", "[errors]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    const std::size_t at = GENERATE(as<std::size_t>{}, 0, 333, 999);
    IMAP_INFO(workers, chunking, 0);
    INFO("throws at " << at);
    const auto policy = make_policy<TestType>(workers, chunking, 0);
    std::vector<long> xs;  // random access: taken by counting
    for (std::size_t i = 0; i < 1000; ++i) xs.push_back(static_cast<long>(i));
    const std::list<long> list(xs.begin(), xs.end());  // forward: walked under the lock
    auto f = [at](long x) {
        if (static_cast<std::size_t>(x) == at) throw test_error(at);
        return work(x);
    };
    auto check = [&](auto&& input) {
        std::size_t k = 0, thrown_at = ~std::size_t{0};
        bool in_order = true;
        try {
            for (long y : parmap::imap(policy, input, f)) in_order = in_order && y == work(static_cast<long>(k++));
        } catch (const test_error& e) {
            thrown_at = e.index();
        }
        CHECK(in_order);
        CHECK(k == at);
        CHECK(thrown_at == at);
    };
    check(xs);
    check(list);
}
