// Bounded memory and early exit: at most `buffer` elements between the input and the consumer whatever
// the input's length, a slow consumer makes the workers wait, and leaving the loop early (break, an
// exception in the loop body) stops the input, destroys every pending result exactly once, and leaves
// the pool usable at once.
#include "common.hpp"

#include <chrono>

using namespace imap_tests;
using conformance::counted;

namespace {

using result = counted<false>;

/// The default buffer for `workers` threads under automatic chunking (imap.hpp: 4 grabs of up to 1024 per worker).
std::size_t default_buffer(std::size_t workers) { return 4 * 1024 * workers; }

template <class Policy>
void check_pool_usable(const Policy& policy) {
    auto ys = parmap::parallel_map(policy, parmap::iota(std::size_t{5000}), [](std::size_t i) { return 2 * i; });
    bool ok = ys.size() == 5000;
    for (std::size_t i = 0; ok && i < ys.size(); ++i) ok = ys[i] == 2 * i;
    CHECK(ok);
}

} // namespace

TEMPLATE_LIST_TEST_CASE("at most buffer elements are taken and not yet consumed, with a slow consumer", "[memory]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    const std::size_t buffer = GENERATE(as<std::size_t>{}, 1, 2, 7, 64);
    IMAP_INFO(workers, chunking, buffer);
    const auto policy = make_policy<TestType>(workers, chunking, buffer);
    for (const bool ordered : {true, false}) {
        result::stats().reset();
        generator input(3000);
        std::size_t consumed = 0, worst = 0;
        long live_worst = 0;
        auto f = [](long x) { return result(static_cast<int>(work(x) % 1000003)); };
        auto step = [&](std::size_t) {
            // The element being looked at is still held: consumed counts those before it.
            worst = std::max(worst, input.produced() - consumed);
            live_worst = std::max(live_worst, result::stats().constructed.load() - result::stats().destroyed.load());
            if (consumed % 64 == 0) std::this_thread::sleep_for(std::chrono::microseconds(200));  // a slow consumer
            ++consumed;
        };
        if (ordered) {
            for (auto&& y : parmap::imap(policy, input, f)) step(static_cast<std::size_t>(y.value()));
        } else {
            for (auto&& y : parmap::imap_unordered(policy, input, f)) step(y.index);
        }
        INFO("ordered=" << ordered);
        CHECK(consumed == 3000);
        CHECK(worst <= buffer);
        // Results alive: those in the ring, plus at most one temporary per thread being moved into it.
        CHECK(live_worst <= static_cast<long>(buffer + workers));
        CHECK(result::stats().constructed.load() == result::stats().destroyed.load());
        CHECK(result::stats().bad_destroy.load() == 0);
    }
}

TEMPLATE_LIST_TEST_CASE("an unbounded input streams in bounded memory with the default buffer", "[memory]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    INFO("backend=" << TestType::name << " workers=" << workers);
    const auto policy = TestType::policy().workers(workers);
    generator input(generator::unbounded);
    std::size_t consumed = 0, worst = 0;
    long sum = 0, want = 0;
    for (long y : parmap::imap(policy, input, [](long x) { return work(x); })) {
        worst = std::max(worst, input.produced() - consumed);
        sum += y;
        want += work(generator::value_at(consumed));
        if (++consumed == 200000) break;
    }
    CHECK(sum == want);
    CHECK(worst <= default_buffer(conformance::is_serial<TestType> ? 1 : workers));
}

TEMPLATE_LIST_TEST_CASE("leaving the loop early destroys every pending result once and frees the pool", "[early_exit]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    const std::size_t buffer = GENERATE(as<std::size_t>{}, 0, 1, 7, 64);
    const std::size_t stop_after = GENERATE(as<std::size_t>{}, 0, 1, 100);
    const bool by_exception = GENERATE(false, true);
    IMAP_INFO(workers, chunking, buffer);
    INFO("stop_after=" << stop_after << " by_exception=" << by_exception);
    const auto policy = make_policy<TestType>(workers, chunking, buffer);
    for (const bool ordered : {true, false}) {
        result::stats().reset();
        generator input(generator::unbounded);
        std::size_t seen = 0;
        auto f = [](long x) { return result(static_cast<int>(x)); };
        auto body = [&] {
            if (seen++ == stop_after) {
                if (by_exception) throw conformance::test_error(seen);
                return true;
            }
            return false;
        };
        try {
            if (ordered) {
                for (auto&& y : parmap::imap(policy, input, f)) {
                    (void)y;
                    if (body()) break;
                }
            } else {
                for (auto&& y : parmap::imap_unordered(policy, input, f)) {
                    (void)y;
                    if (body()) break;
                }
            }
        } catch (const conformance::test_error&) {
            CHECK(by_exception);
        }
        INFO("ordered=" << ordered);
        CHECK(seen == stop_after + 1);
        CHECK(input.produced() <= stop_after + (buffer != 0 ? buffer : default_buffer(workers)));
        CHECK(result::stats().constructed.load() == result::stats().destroyed.load());
        CHECK(result::stats().bad_destroy.load() == 0);
        check_pool_usable(policy);
    }
}

TEST_CASE("leaving early waits for running calls of f and returns", "[early_exit]") {
    parmap::thread_pool pool(4);
    std::atomic<int> running{0}, finished{0};
    {
        auto stream = parmap::imap(parmap::threads.on(pool).chunk(parmap::chunks::dynamic(1)).buffer(8), parmap::iota(1000), [&](int i) {
            running.fetch_add(1);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            finished.fetch_add(1);
            return i;
        });
        auto it = stream.begin();
        CHECK(*it == 0);
    }  // destroyed while other elements may be running
    CHECK(running.load() == finished.load());
    CHECK(running.load() <= 8);
    auto ys = parmap::parallel_map(parmap::threads.on(pool), parmap::iota(100), [](int i) { return i + 1; });
    CHECK(ys.back() == 100);
}

TEST_CASE("imap_unordered hands the others out while one element is slow, for far longer than the buffer", "[memory][unordered]") {
    // The first element a pool thread runs waits until the consumer has every other one (20 s at most).
    // That needs the buffer's slots to be reused around the slow element's: 5000 elements through 64 slots.
    parmap::thread_pool pool(2);
    const std::size_t n = 5000;
    const std::thread::id consumer = std::this_thread::get_id();
    std::atomic<bool> claimed{false};
    std::atomic<std::size_t> received{0};
    std::size_t received_when_released = 0;
    auto f = [&](std::size_t i) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        if (std::this_thread::get_id() == consumer) {
            while (!claimed.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();  // the pool thread's turn first
        } else if (!claimed.exchange(true)) {
            while (received.load() < n - 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
            received_when_released = received.load();
        }
        return i;
    };
    std::vector<int> seen(n, 0);
    for (auto&& [i, y] : parmap::imap_unordered(parmap::threads.on(pool).workers(2).buffer(64), parmap::iota(n), f)) {
        seen[i] += y == i;
        received.fetch_add(1);
    }
    CHECK(claimed.load());
    CHECK(received_when_released == n - 1);
    CHECK(std::count(seen.begin(), seen.end(), 1) == static_cast<std::ptrdiff_t>(n));
}

namespace {

/// Claims slots [first, first + count) of a ring of 64 T filled with a pattern, and checks every byte of
/// the ring: zero where claim must write (the first byte of the range, and each byte that starts a 64-byte
/// line inside it), the pattern everywhere else.
template <class T>
bool claim_writes_only_its_lines(std::size_t first, std::size_t count) {
    parmap::detail::result_ring<T> ring(64);
    unsigned char* const bytes = reinterpret_cast<unsigned char*>(ring.at(0));
    const std::size_t size = 64 * sizeof(T);
    for (std::size_t b = 0; b < size; ++b) bytes[b] = static_cast<unsigned char>(1 + b % 251);
    ring.claim(first, count);
    const std::size_t begin = first * sizeof(T), end = (first + count) * sizeof(T);
    for (std::size_t b = 0; b < size; ++b) {
        const bool line_start = b == begin || reinterpret_cast<std::uintptr_t>(bytes + b) % 64 == 0;
        const unsigned char want = b >= begin && b < end && line_start ? 0 : static_cast<unsigned char>(1 + b % 251);
        if (bytes[b] != want) return false;
    }
    return true;
}

struct record24 {
    char bytes[24];
};

} // namespace

TEST_CASE("the consumer's claim of a walked batch writes one byte per cache line, inside the batch only", "[memory]") {
    // result_ring::claim runs on the consumer while pool threads write the slots around the batch: a byte
    // written outside it would race with another grab's result.
    const std::size_t firsts[] = {0, 1, 7, 8, 13, 40}, counts[] = {0, 1, 2, 8, 9, 23};
    for (std::size_t first : firsts) {
        for (std::size_t count : counts) {
            INFO("first=" << first << " count=" << count);
            CHECK(claim_writes_only_its_lines<double>(first, count));
            CHECK(claim_writes_only_its_lines<record24>(first, count));
            CHECK(claim_writes_only_its_lines<char>(first, count));
        }
    }
}
