// Error policies: .errors(on_error::collect | as_values), .max_errors(k), .retries(n, pred). For a pure f
// the failing indices are the same on every backend, worker count and chunking, and every front-end;
// expected values come from a plain loop over the indices.
#include "common.hpp"
#include "fronts.hpp"

#include <functional>
#include <list>
#include <stdexcept>

using namespace conformance;

namespace {

constexpr std::size_t n_elements = 2003;
bool fails(std::size_t i) { return i % 97 == 5; }

/// f over the indices: i, or test_error(i) where fails(i); each call counted per index.
struct failing_f {
    std::vector<std::atomic<int>>* calls;
    long operator()(std::size_t i) const {
        (*calls)[i].fetch_add(1);
        if (fails(i)) throw test_error(i);
        return static_cast<long>(i);
    }
};

std::vector<std::size_t> failing_indices(std::size_t n) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (fails(i)) out.push_back(i);
    }
    return out;
}

/// The indices of `e`'s failures, "" when each holds the test_error thrown at its index.
std::pair<std::vector<std::size_t>, std::string> read(const parmap::errors& e) {
    std::vector<std::size_t> indices;
    std::string wrong;
    for (const parmap::failure& f : e.failures()) {
        indices.push_back(f.index);
        try {
            std::rethrow_exception(f.exception);
        } catch (const test_error& t) {
            if (t.index() != f.index) wrong = "failure " + std::to_string(f.index) + " holds " + t.what();
        } catch (...) {
            wrong = "failure " + std::to_string(f.index) + " holds another exception";
        }
    }
    return {indices, wrong};
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("collect runs every element and throws parmap::errors with the same failures everywhere", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        const front which = CONFORMANCE_FRONT();
        CONFORMANCE_INFO(workers, chunking);
        INFO(name_of(which));
        const auto policy = make_policy<TestType>(workers, chunking).errors(parmap::on_error::collect);
        std::vector<std::atomic<int>> calls(n_elements);
        failing_f f{&calls};
        const std::vector<std::size_t> want = failing_indices(n_elements);
        bool caught = false;
        try {
            call_front(which, policy, n_elements, f);
        } catch (const parmap::errors& e) {
            caught = true;
            const auto [indices, wrong] = read(e);
            CHECK(indices == want);
            CHECK(wrong.empty());
            CHECK(std::string(e.what()) == std::to_string(want.size()) + " of 2003 elements failed; first at 5: " + expected_message(5));
            CHECK_THROWS_AS(e.rethrow_first(), test_error);
        }
        CHECK(caught);
        std::size_t not_once = 0;
        for (std::size_t i = 0; i < n_elements; ++i) not_once += calls[i].load() != 1;
        CHECK(not_once == 0);
        check_still_works(policy.errors(parmap::on_error::fail_fast));
    }
}

TEMPLATE_LIST_TEST_CASE("collect gives fail_fast's results, and R{} in an output where an element failed", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        CONFORMANCE_INFO(workers, chunking);
        const auto policy = make_policy<TestType>(workers, chunking).errors(parmap::on_error::collect);
        check_still_works(policy);
        auto got = parmap::parallel_map(policy, parmap::iota(n_elements), [](std::size_t i) { return value_only(static_cast<long>(3 * i)); });
        std::vector<value_only> want;
        for (std::size_t i = 0; i < n_elements; ++i) want.emplace_back(static_cast<long>(3 * i));
        CHECK(mismatch(got, want).empty());
        CHECK_THROWS_AS(parmap::parallel_map(policy, parmap::iota(n_elements),
                                             [](std::size_t i) {
                                                 if (fails(i)) throw test_error(i);
                                                 return value_only(1);
                                             }),
                        parmap::errors);
        // Into a random-access and a bidirectional output: every success written, R{} for each failure.
        std::vector<std::atomic<int>> calls(n_elements);
        failing_f f{&calls};
        std::vector<long> want_out(n_elements);
        for (std::size_t i = 0; i < n_elements; ++i) want_out[i] = fails(i) ? 0L : static_cast<long>(i);
        const auto indices = parmap::iota(n_elements);
        std::vector<long> out(n_elements, -1);
        CHECK_THROWS_AS(parmap::parallel_map(policy, indices.begin(), indices.end(), out.begin(), f), parmap::errors);
        CHECK(out == want_out);
        std::list<long> listed(n_elements, -1);
        CHECK_THROWS_AS(parmap::parallel_map(policy, indices.begin(), indices.end(), listed.begin(), f), parmap::errors);
        CHECK(std::vector<long>(listed.begin(), listed.end()) == want_out);
    }
}

TEMPLATE_LIST_TEST_CASE("as_values returns each element's value or exception", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        CONFORMANCE_INFO(workers, chunking);
        const auto policy = make_policy<TestType>(workers, chunking).errors(parmap::on_error::as_values);
        std::vector<std::atomic<int>> calls(n_elements);
        failing_f f{&calls};
        std::vector<std::size_t> in(n_elements);
        std::iota(in.begin(), in.end(), std::size_t{0});
        std::vector<parmap::result<long>> through_iterators(n_elements);
        parmap::parallel_map(policy, in.begin(), in.end(), through_iterators.begin(), f);
        std::vector<parmap::result<long>> rs = parmap::parallel_map(policy, in, f);
        std::string wrong;
        for (const auto* results : {&rs, &through_iterators}) {
            for (std::size_t i = 0; i < n_elements; ++i) {
                const parmap::result<long>& r = (*results)[i];
                if (fails(i) ? r.has_value() || r.error() == nullptr : !r.has_value() || *r != static_cast<long>(i)) {
                    wrong = "element " + std::to_string(i);
                }
            }
        }
        CHECK(wrong.empty());
        CHECK_THROWS_AS(rs[5].value(), test_error);
        CHECK(rs[6].value() == 6);
        // Slots that held errors take the values of a later call that succeeds there (the old errors freed: ASan).
        parmap::parallel_map(policy, in.begin(), in.end(), through_iterators.begin(), [](std::size_t i) { return 2 * static_cast<long>(i); });
        std::size_t stale = 0;
        for (std::size_t i = 0; i < n_elements; ++i) stale += !through_iterators[i].has_value() || *through_iterators[i] != 2 * static_cast<long>(i);
        CHECK(stale == 0);
    }
}

TEMPLATE_LIST_TEST_CASE("max_errors(k) stops the call at the k-th failure", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const front which = CONFORMANCE_FRONT();
        INFO(name_of(which) << " workers=" << workers);
        const auto policy = TestType::policy().workers(workers).errors(parmap::on_error::collect).max_errors(3);
        std::vector<std::atomic<int>> calls(n_elements);
        failing_f f{&calls};
        const std::vector<std::size_t> all = failing_indices(n_elements);
        bool caught = false;
        try {
            call_front(which, policy, n_elements, f);
        } catch (const parmap::errors& e) {
            caught = true;
            const auto [indices, wrong] = read(e);
            CHECK(indices.size() >= 3);
            CHECK(std::includes(all.begin(), all.end(), indices.begin(), indices.end()));
            CHECK(wrong.empty());
            if constexpr (is_serial<TestType>) {
                CHECK(indices == std::vector<std::size_t>(all.begin(), all.begin() + 3));
                std::size_t ran = 0;
                for (std::size_t i = 0; i < n_elements; ++i) ran += static_cast<std::size_t>(calls[i].load());
                CHECK(ran == all[2] + 1);  // nothing after the third failure
            }
        }
        CHECK(caught);
    }
}

TEMPLATE_LIST_TEST_CASE("retries run an element again while the predicate agrees", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const std::size_t workers = CONFORMANCE_WORKERS();
        const auto chunking = CONFORMANCE_CHUNKING();
        CONFORMANCE_INFO(workers, chunking);
        std::vector<std::atomic<int>> calls(n_elements);
        std::vector<std::atomic<int>> last_attempt(n_elements);
        // i % 5 == 0 fails on its first attempt only, i % 50 == 0 always; i % 7 == 0 throws what pred refuses.
        auto f = [&](std::size_t i) -> long {
            calls[i].fetch_add(1);
            last_attempt[i] = static_cast<int>(parmap::attempt());
            if (i % 7 == 0) throw std::logic_error("not transient");
            if (i % 50 == 0 || (i % 5 == 0 && parmap::attempt() == 1)) throw test_error(i);
            return static_cast<long>(i);
        };
        auto transient = [](const std::exception_ptr& e) {
            try {
                std::rethrow_exception(e);
            } catch (const test_error&) {
                return true;
            } catch (...) {
                return false;
            }
        };
        const auto policy = make_policy<TestType>(workers, chunking).retries(2, transient).errors(parmap::on_error::as_values);
        const auto rs = parmap::parallel_map(policy, parmap::iota(n_elements), f);
        std::string wrong;
        for (std::size_t i = 0; i < n_elements; ++i) {
            const int want_calls = i % 7 == 0 ? 1 : i % 50 == 0 ? 3 : i % 5 == 0 ? 2 : 1;
            const bool want_value = i % 7 != 0 && i % 50 != 0;
            if (calls[i].load() != want_calls || last_attempt[i].load() != want_calls || rs[i].has_value() != want_value) {
                wrong = "element " + std::to_string(i);
            }
        }
        CHECK(wrong.empty());
        CHECK(parmap::attempt() == 1);  // outside f
    }
}

TEMPLATE_LIST_TEST_CASE("bad error options and a throwing progress callback fail the whole call", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        const auto policy = TestType::policy().workers(2).errors(parmap::on_error::collect);
        std::atomic<int> ran{0};
        auto f = [&](std::size_t i) {
            ran.fetch_add(1);
            if (fails(i)) throw test_error(i);
            return static_cast<long>(i);
        };
        CHECK_THROWS_WITH(parmap::parallel_map(policy.max_errors(0), parmap::iota(100), f), Catch::Contains(".max_errors(0)"));
        CHECK_THROWS_WITH(parmap::parallel_map(policy.retries(1001, [](const std::exception_ptr&) { return true; }), parmap::iota(100), f),
                          Catch::Contains(".retries(1001)"));
        CHECK(ran.load() == 0);
        struct progress_failed {};
        auto reporting = policy.progress([](std::size_t done, std::size_t total) {
            if (done == total) throw progress_failed{};
        });
        CHECK_THROWS_AS(parmap::parallel_map(reporting, parmap::iota(n_elements), f), progress_failed);
    }
}

TEMPLATE_LIST_TEST_CASE("a stop request wins over collect", "[errors]", backends) {
    CONFORMANCE_HOST_ONLY("device code cannot throw") {
        parmap::stop_source source;
        const auto policy = TestType::policy().workers(3).stop(source.token()).errors(parmap::on_error::collect);
        auto f = [&](std::size_t i) -> long {
            if (i == 10) source.request_stop();
            if (fails(i)) throw test_error(i);
            return static_cast<long>(i);
        };
        CHECK_THROWS_AS(parmap::parallel_map(policy.chunk(parmap::chunks::dynamic(4)), parmap::iota(n_elements), f), parmap::cancelled);
    }
}

TEST_CASE("imap under as_values yields result<R>, under collect the values and then parmap::errors", "[errors][imap]") {
    const std::size_t workers = CONFORMANCE_WORKERS();
    const bool serial = GENERATE(true, false);
    INFO((serial ? "serial" : "threads") << " workers=" << workers);
    auto run = [&](auto mode, auto walk) {
        if (serial) return walk(parmap::serial.errors(mode));
        return walk(parmap::threads.workers(workers).errors(mode));
    };
    auto f = [](std::size_t i) -> long {
        if (fails(i)) throw test_error(i);
        return static_cast<long>(i);
    };
    const std::vector<std::size_t> want = failing_indices(n_elements);
    std::vector<long> want_values;
    for (std::size_t i = 0; i < n_elements; ++i) {
        if (!fails(i)) want_values.push_back(static_cast<long>(i));
    }

    std::vector<std::size_t> failed;
    run(parmap::on_error::as_values, [&](const auto& p) {
        std::size_t i = 0;
        for (const parmap::result<long>& r : parmap::imap(p, parmap::iota(n_elements), f)) {
            if (!r) failed.push_back(i);
            ++i;
        }
        return 0;
    });
    CHECK(failed == want);

    for (bool ordered : {true, false}) {
        INFO((ordered ? "imap" : "imap_unordered"));
        std::vector<long> values;
        std::vector<std::size_t> indices;
        run(parmap::on_error::collect, [&](const auto& p) {
            try {
                if (ordered) {
                    for (long y : parmap::imap(p, parmap::iota(n_elements), f)) values.push_back(y);
                } else {
                    for (auto&& [i, y] : parmap::imap_unordered(p, parmap::iota(n_elements), f)) values.push_back(y + 0 * static_cast<long>(i));
                }
            } catch (const parmap::errors& e) {
                indices = read(e).first;
            }
            return 0;
        });
        std::sort(values.begin(), values.end());
        CHECK(values == want_values);
        CHECK(indices == want);
    }
}

TEST_CASE("parmap::result holds a value or an exception", "[errors]") {
    parmap::result<std::string> ok(std::string("x"));
    parmap::result<std::string> bad(std::make_exception_ptr(test_error(4)));
    CHECK(ok.has_value());
    CHECK(*ok == "x");
    CHECK(ok->size() == 1);
    CHECK(ok.error() == nullptr);
    CHECK_FALSE(bad);
    CHECK_THROWS_AS(bad.value(), test_error);
    CHECK(parmap::errors::message_of(bad.error()) == expected_message(4));
    CHECK(std::string(parmap::errors({}, 10).what()) == "0 of 10 elements failed");
}
