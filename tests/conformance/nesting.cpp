// Nested calls (never deadlock), several callers at once on one pool, and parmap::worker_index().
// Every test here has a ctest TIMEOUT: a deadlock fails the test instead of blocking the run.
#include "common.hpp"

#include <map>
#include <numeric>
#include <set>

using namespace conformance;

namespace {

std::size_t nested_value(std::size_t a, std::size_t b, std::size_t c) { return a * 10000 + b * 100 + c; }

/// The three-level sum, by plain loops.
std::vector<std::size_t> nested_expected(std::size_t na, std::size_t nb, std::size_t nc) {
    std::vector<std::size_t> want;
    for (std::size_t a = 0; a < na; ++a) {
        std::size_t sum_b = 0;
        for (std::size_t b = 0; b < nb; ++b) {
            std::size_t sum_c = 0;
            for (std::size_t c = 0; c < nc; ++c) sum_c += nested_value(a, b, c);
            sum_b += sum_c * (b + 1);
        }
        want.push_back(sum_b);
    }
    return want;
}

/// parallel_map inside f inside f inside parallel_map: three levels, every one on `policy`.
template <class Policy>
std::vector<std::size_t> nested_map(const Policy& policy, std::size_t na, std::size_t nb, std::size_t nc) {
    return parmap::parallel_map(policy, parmap::iota(na), [&](std::size_t a) {
        auto mid = parmap::parallel_map(policy, parmap::iota(nb), [&](std::size_t b) {
            auto inner = parmap::parallel_map(policy, parmap::iota(nc), [&](std::size_t c) { return nested_value(a, b, c); });
            return std::accumulate(inner.begin(), inner.end(), std::size_t{0}) * (b + 1);
        });
        return std::accumulate(mid.begin(), mid.end(), std::size_t{0});
    });
}

}  // namespace

// ---- nesting ------------------------------------------------------------------------------------

TEST_CASE("nested parallel_map three levels deep on a 2-thread pool completes with the right results", "[nesting][pool]") {
    parmap::thread_pool pool(2);
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    INFO("workers=" << workers << " chunking=" << describe(chunking));
    const auto policy = parmap::threads.on(pool).workers(workers).chunk(chunking);
    for (int rep = 0; rep < 3; ++rep) CHECK(mismatch(nested_map(policy, 9, 7, 61), nested_expected(9, 7, 61)) == "");
    CHECK(pool.size() == 2);
    // Nested calls that are large enough to be shared, with the default chunking.
    const auto plain = parmap::threads.on(pool);
    CHECK(mismatch(nested_map(plain.chunk(parmap::chunks::automatic(1)), 5, 4, 3000), nested_expected(5, 4, 3000)) == "");
}

TEMPLATE_LIST_TEST_CASE("nested parallel_map three levels deep completes on every backend (default pool and OpenMP)", "[nesting]",
                        backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const auto policy = make_policy<TestType>(workers, chunking);
    for (int rep = 0; rep < 2; ++rep) CHECK(mismatch(nested_map(policy, 9, 7, 61), nested_expected(9, 7, 61)) == "");
}

TEMPLATE_LIST_TEST_CASE("an exception from the innermost level of a nested call reaches the outer caller", "[nesting][exceptions]",
                        backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = CONFORMANCE_CHUNKING();
    CONFORMANCE_INFO(workers, chunking);
    const auto policy = make_policy<TestType>(workers, chunking);
    bool caught = false;
    try {
        (void)parmap::parallel_map(policy, parmap::iota(std::size_t{8}), [&](std::size_t a) {
            auto inner = parmap::parallel_map(policy, parmap::iota(std::size_t{300}), [a](std::size_t c) {
                if (a == 5 && c == 123) throw test_error(a * 1000 + c);
                return c;
            });
            return inner.size();
        });
    } catch (const test_error& e) {
        caught = true;
        CHECK(e.index() == 5123);
    }
    CHECK(caught);
    CHECK(mismatch(nested_map(policy, 4, 3, 50), nested_expected(4, 3, 50)) == "");
}

// ---- many callers -------------------------------------------------------------------------------

namespace {

/// Four std::threads, each running many calls of varied sizes and chunkings on `base` at once, some
/// of them throwing; every result is checked (on the calling thread, after the join).
template <class Policy>
void four_callers(const Policy& base, int iterations) {
    const std::vector<parmap::chunks::chunking> chunks = chunkings();
    std::atomic<long> wrong_results{0}, wrong_exceptions{0}, calls{0};
    auto caller = [&](std::size_t t) {
        for (int it = 0; it < iterations; ++it) {
            const std::size_t n = (static_cast<std::size_t>(it) * 7919 + t * 104729) % 9000;
            const auto policy = base.chunk(chunks[(static_cast<std::size_t>(it) + t) % chunks.size()]);
            try {
                if (it % 10 == 7 && n > 0) {
                    const std::size_t at = (n * 31 + t) % n;
                    try {
                        (void)parmap::parallel_map(policy, parmap::iota(n), [at](std::size_t i) {
                            if (i == at) throw test_error(i);
                            return i;
                        });
                        ++wrong_exceptions;  // nothing thrown
                    } catch (const test_error& e) {
                        if (e.index() != at) ++wrong_exceptions;
                    }
                } else {
                    const std::size_t salt = t * 1000003 + static_cast<std::size_t>(it);
                    auto got = parmap::parallel_map(policy, parmap::iota(n), [salt](std::size_t i) { return i * 3 + salt; });
                    bool ok = got.size() == n;
                    for (std::size_t i = 0; ok && i < n; ++i) ok = got[i] == i * 3 + salt;
                    if (!ok) ++wrong_results;
                }
            } catch (...) {
                ++wrong_exceptions;
            }
            ++calls;
        }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) threads.emplace_back(caller, t);
    for (std::thread& th : threads) th.join();
    CHECK(calls.load() == 4L * iterations);
    CHECK(wrong_results.load() == 0);
    CHECK(wrong_exceptions.load() == 0);
}

}  // namespace

TEST_CASE("four std::threads calling parallel_map at once on one user pool each get their own results", "[concurrency][pool]") {
    const std::size_t pool_size = GENERATE(as<std::size_t>{}, 2, 3);
    const std::size_t workers = CONFORMANCE_WORKERS();
    INFO("pool size " << pool_size << " workers " << workers);
    parmap::thread_pool pool(pool_size);
    four_callers(parmap::threads.on(pool).workers(workers), 150);
    CHECK(pool.size() == pool_size);
}

TEMPLATE_LIST_TEST_CASE("four std::threads calling parallel_map at once each get their own results", "[concurrency]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    INFO("backend=" << TestType::name << " workers=" << workers);
    four_callers(TestType::policy().workers(workers), 100);
}

TEST_CASE("four std::threads making nested calls at once on a 2-thread pool", "[concurrency][nesting][pool]") {
    parmap::thread_pool pool(2);
    const auto policy = parmap::threads.on(pool).chunk(parmap::chunks::dynamic(2));
    const auto want = nested_expected(5, 4, 31);
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int it = 0; it < 20; ++it) {
                if (nested_map(policy, 5, 4, 31) != want) ++wrong;
            }
        });
    }
    for (std::thread& th : threads) th.join();
    CHECK(wrong.load() == 0);
}

// ---- worker_index() -----------------------------------------------------------------------------

TEST_CASE("worker_index() is 0 on a thread outside any call", "[worker_index]") {
    CHECK(parmap::worker_index() == 0);
    std::size_t on_other_thread = 99;
    std::thread([&] { on_other_thread = parmap::worker_index(); }).join();
    CHECK(on_other_thread == 0);
}

TEMPLATE_LIST_TEST_CASE("worker_index() inside f: the caller is 0 and the others are below the team size with one index per thread",
                        "[worker_index]", backends) {
    CONFORMANCE_HOST_ONLY("worker_index() is not defined inside a Thrust call") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = GENERATE(parmap::chunks::dynamic(1), parmap::chunks::static_(0), parmap::chunks::automatic(1));
        CONFORMANCE_INFO(workers, chunking);
        const std::size_t n = 20011;
        const std::thread::id caller = std::this_thread::get_id();

        std::vector<std::size_t> index(n);
        std::vector<std::thread::id> thread(n);
        (void)parmap::parallel_map(make_policy<TestType>(workers, chunking), parmap::iota(n), [&](std::size_t i) {
            index[i] = parmap::worker_index();
            thread[i] = std::this_thread::get_id();
            return i;
        });
        CHECK(parmap::worker_index() == 0);  // restored after the call

        std::size_t limit = 1;
        if constexpr (std::is_same_v<TestType, threads_case>) limit = parmap::default_pool().size();
        if constexpr (std::is_same_v<TestType, openmp_case>) limit = workers;
        std::size_t caller_not_zero = 0, too_large = 0;
        std::map<std::size_t, std::set<std::thread::id>> threads_of_index;
        for (std::size_t i = 0; i < n; ++i) {
            caller_not_zero += thread[i] == caller && index[i] != 0;
            too_large += index[i] >= limit;
            threads_of_index[index[i]].insert(thread[i]);
        }
        CHECK(caller_not_zero == 0);
        CHECK(too_large == 0);
        std::size_t shared = 0;
        for (const auto& entry : threads_of_index) shared += entry.second.size() != 1;
        CHECK(shared == 0);
        if constexpr (is_serial<TestType>) {
            CHECK(threads_of_index.size() == 1);
            CHECK(threads_of_index.begin()->first == 0);
        }
    }
}

TEST_CASE("worker_index() on a user pool is below the pool's size even with .workers(8)", "[worker_index][pool]") {
    parmap::thread_pool pool(3);
    const std::size_t n = 30011;
    std::vector<std::size_t> index(n);
    parmap::parallel_for(parmap::threads.on(pool).workers(8).chunk(parmap::chunks::dynamic(1)), n,
                         [&](std::size_t i) { index[i] = parmap::worker_index(); });
    CHECK(*std::max_element(index.begin(), index.end()) < 3);
    CHECK(pool.size() == 3);
}

TEST_CASE("a serial call inside a pool worker keeps that worker's index", "[worker_index][nesting]") {
    parmap::thread_pool pool(3);
    const std::size_t n = 2000;
    std::atomic<std::size_t> mismatched{0};
    parmap::parallel_for(parmap::threads.on(pool).chunk(parmap::chunks::dynamic(1)), n, [&](std::size_t) {
        const std::size_t outer = parmap::worker_index();
        auto inner = parmap::parallel_map(parmap::serial, parmap::iota(5), [](int) { return parmap::worker_index(); });
        for (std::size_t w : inner) mismatched += w != outer;
        if (parmap::worker_index() != outer) ++mismatched;  // restored after the inner call
    });
    CHECK(mismatched.load() == 0);
}
