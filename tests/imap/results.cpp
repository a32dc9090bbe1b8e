// Same answers: imap gives a serial loop's results in order, imap_unordered the same results with the
// right indices, for every worker count, chunking and buffer size, on every kind of input.
#include "common.hpp"

#include <forward_list>
#include <list>

using namespace imap_tests;
using conformance::mismatch;

namespace {

std::vector<long> expected(std::size_t n) {
    std::vector<long> want;
    for (std::size_t i = 0; i < n; ++i) want.push_back(work(generator::value_at(i)));
    return want;
}

/// imap_unordered's results put back in input order; "" when every index came exactly once.
template <class Stream>
std::string unordered_to_ordered(Stream&& stream, std::size_t n, std::vector<long>& out) {
    out.assign(n, 0);
    std::vector<int> seen(n, 0);
    for (auto&& [i, y] : stream) {
        if (i >= n) return "index " + std::to_string(i) + " out of range";
        if (seen[i]++ != 0) return "index " + std::to_string(i) + " twice";
        out[i] = y;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (seen[i] == 0) return "index " + std::to_string(i) + " missing";
    }
    return "";
}

} // namespace

TEMPLATE_LIST_TEST_CASE("imap and imap_unordered give a serial loop's results for every option", "[results]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto chunking = IMAP_CHUNKING();
    const std::size_t buffer = IMAP_BUFFER();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 5, 1000);
    IMAP_INFO(workers, chunking, buffer);
    INFO("n=" << n);
    const auto policy = make_policy<TestType>(workers, chunking, buffer);
    auto f = [](long x) { return work(x); };

    std::vector<long> xs;
    for (std::size_t i = 0; i < n; ++i) xs.push_back(generator::value_at(i));
    CHECK(mismatch(collect(parmap::imap(policy, xs, f)), expected(n)) == "");
    CHECK(mismatch(collect(parmap::imap(policy, generator(n), f)), expected(n)) == "");
    CHECK(mismatch(collect(parmap::imap(policy, xs, f)), parmap::parallel_map(policy, xs, f)) == "");

    std::vector<long> unordered;
    CHECK(unordered_to_ordered(parmap::imap_unordered(policy, generator(n), f), n, unordered) == "");
    CHECK(mismatch(unordered, expected(n)) == "");
    CHECK(unordered_to_ordered(parmap::imap_unordered(policy, xs, f), n, unordered) == "");
    CHECK(mismatch(unordered, expected(n)) == "");
}

TEMPLATE_LIST_TEST_CASE("imap takes every kind of input range", "[results][inputs]", backends) {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const auto policy = TestType::policy().workers(workers).buffer(5);
    const std::size_t n = 300;
    INFO("backend=" << TestType::name << " workers=" << workers);

    std::list<long> list;
    std::forward_list<long> forward;
    std::ostringstream text;
    for (std::size_t i = n; i-- > 0;) forward.push_front(generator::value_at(i));
    for (std::size_t i = 0; i < n; ++i) {
        list.push_back(generator::value_at(i));
        text << generator::value_at(i) << ' ';
    }
    auto f = [](long x) { return work(x); };
    CHECK(mismatch(collect(parmap::imap(policy, list, f)), expected(n)) == "");
    CHECK(mismatch(collect(parmap::imap(policy, forward, f)), expected(n)) == "");
    std::istringstream in(text.str());
    struct stream_range {
        std::istream& in;
        std::istream_iterator<long> begin() const { return std::istream_iterator<long>(in); }
        std::istream_iterator<long> end() const { return {}; }
    };
    CHECK(mismatch(collect(parmap::imap(policy, stream_range{in}, f)), expected(n)) == "");
    // iota and zip: f gets the zipped elements as separate arguments, as with parallel_map.
    CHECK(mismatch(collect(parmap::imap(policy, parmap::iota(n), [](std::size_t i) { return work(generator::value_at(i)); })),
                   expected(n)) == "");
    std::vector<long> xs(list.begin(), list.end()), ones(n, 1);
    CHECK(mismatch(collect(parmap::imap(policy, parmap::zip(xs, ones), [](long x, long one) { return work(x * one); })),
                   expected(n)) == "");
    // The default policy, and a move-only, non-default-constructible result.
    CHECK(mismatch(collect(parmap::imap(xs, f)), expected(n)) == "");
    std::size_t k = 0;
    bool move_only_ok = true;
    for (auto&& p : parmap::imap(policy, xs, [](long x) { return std::make_unique<long>(work(x)); })) {
        move_only_ok = move_only_ok && *p == expected(n)[k++];
    }
    CHECK(move_only_ok);
    CHECK(k == n);
}

TEST_CASE("lines() reads LF and CRLF lines, keeps empty lines and a last line without a newline", "[lines]") {
    auto read_all = [](const std::string& text) {
        std::istringstream in(text);
        std::vector<std::string> out;
        for (const std::string& line : parmap::lines(in)) out.push_back(line);
        return out;
    };
    using v = std::vector<std::string>;
    CHECK(read_all("") == v{});
    CHECK(read_all("\n") == v{""});
    CHECK(read_all("a\nbb\n") == v{"a", "bb"});
    CHECK(read_all("a\r\nbb\r\n\r\nlast") == v{"a", "bb", "", "last"});
    CHECK(read_all("one\rtwo\r\n") == v{"one\rtwo"});  // only a trailing '\r' goes
    CHECK(read_all("no newline") == v{"no newline"});

    // Through imap on many threads: every line, in order.
    std::string text;
    for (int i = 0; i < 2000; ++i) text += std::to_string(i) + (i % 2 != 0 ? "\r\n" : "\n");
    text += "tail";
    std::istringstream in(text);
    std::vector<std::string> got = collect(parmap::imap(parmap::threads.workers(3).buffer(16), parmap::lines(in),
                                                        [](const std::string& s) { return s + "!"; }));
    REQUIRE(got.size() == 2001);
    bool all = true;
    for (int i = 0; i < 2000; ++i) all = all && got[static_cast<std::size_t>(i)] == std::to_string(i) + "!";
    CHECK(all);
    CHECK(got.back() == "tail!");
}
