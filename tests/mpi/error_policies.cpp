// Error policies over MPI: the local policy's .errors(collect | as_values), .max_errors(k) and .retries(n, pred).
// Every rank throws the same parmap::errors (indices in the whole input, the rank that ran each element, its
// type name and message as a parmap::remote_error); as_values returns parmap::result<R> on the root. The
// expected lists are worked out here from the failing indices and mpi_test::owner_of, so they hold for any
// number of ranks.
#include "common.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr std::size_t n_elements = 100;
const std::vector<std::size_t> failing = {3, 50, 97, 99};  // 99 throws an int, the others std::invalid_argument

/// f over the indices: 3 * i, or a throw at the failing indices; counts its calls on this rank.
struct failing_f {
    std::atomic<std::size_t>* calls;
    long operator()(std::size_t i) const {
        ++*calls;
        if (i == 99) throw 99;
        if (i == 3 || i == 50 || i == 97) throw std::invalid_argument("bad element " + std::to_string(i));
        return 3 * static_cast<long>(i);
    }
};

std::string message_at(std::size_t i) {
    return i == 99 ? "an exception not derived from std::exception" : "bad element " + std::to_string(i);
}
std::string type_at(std::size_t i) { return i == 99 ? "int" : "std::invalid_argument"; }

/// Every rank's calls together (collective).
std::size_t total_calls(std::size_t mine) {
    unsigned long long in = mine, out = 0;
    MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    return static_cast<std::size_t>(out);
}

/// Checks that one failure is element `index`'s, run on rank `owner`, as a remote_error whose original is
/// kept on that rank only.
void check_failure(const parmap::failure& f, std::size_t index, int owner) {
    INFO("element " << index);
    CHECK(f.index == index);
    CHECK(f.rank == owner);
    try {
        std::rethrow_exception(f.exception);
    } catch (const parmap::remote_error& e) {
        CHECK(e.rank() == owner);
        CHECK(e.type_name() == type_at(index));
        CHECK(std::string(e.what()) == message_at(index));
        CHECK((e.local_exception() != nullptr) == (mpi_test::rank() == owner));
        if (index != 99 && e.local_exception() != nullptr) {
            CHECK_THROWS_AS(std::rethrow_exception(e.local_exception()), std::invalid_argument);
        }
    } catch (...) {
        FAIL_CHECK("failure " << index << " does not hold a parmap::remote_error");
    }
}

/// Runs call() and checks that it threw parmap::errors listing `expected` (owner(i) ran element i).
template <class Call, class Owner>
void check_errors(Call&& call, const std::vector<std::size_t>& expected, Owner owner) {
    bool threw = false;
    try {
        call();
    } catch (const parmap::errors& e) {
        threw = true;
        CHECK(e.failures().size() == expected.size());
        for (std::size_t k = 0; k < expected.size() && k < e.failures().size(); ++k) {
            check_failure(e.failures()[k], expected[k], owner(expected[k]));
        }
        CHECK(std::string(e.what()) == std::to_string(expected.size()) + " of " + std::to_string(n_elements) +
                                           " elements failed; first at 3: bad element 3");
        CHECK_THROWS_AS(e.rethrow_first(), parmap::remote_error);
    }
    CHECK(threw);
}

} // namespace

TEMPLATE_LIST_TEST_CASE("error policies: collect throws the same parmap::errors on every rank", "[errors][policies]", mpi_test::locals) {
    const int size = mpi_test::ranks();
    INFO("local=" << TestType::name << " ranks=" << size);
    const auto policy = parmap::mpi(TestType::policy().errors(parmap::on_error::collect));
    const auto input = mpi_test::rank() == 0 ? parmap::iota(n_elements) : parmap::iota(std::size_t{0});
    auto owner = [size](std::size_t i) { return mpi_test::owner_of(i, n_elements, size); };
    std::atomic<std::size_t> calls{0};
    failing_f f{&calls};

    check_errors([&] { parmap::parallel_map(policy, input, f); }, failing, owner);
    CHECK(total_calls(calls) == n_elements);  // every element ran
    calls = 0;
    check_errors([&] { parmap::parallel_map(policy.gather_to_all(), input, f); }, failing, owner);
    check_errors([&] { parmap::parallel_for(policy, n_elements, [&](std::size_t i) { f(i); }); }, failing, owner);
    CHECK(total_calls(calls) == 2 * n_elements);
    auto block_owner = [size](std::size_t i) { return mpi_test::owner_of(i / 16, parmap::detail::ceil_div(n_elements, 16), size); };
    check_errors([&] { parmap::parallel_map_reduce(policy, input, f, 0L, std::plus<>{}); }, failing, block_owner);

    // Without failures: the plain results, and the next call works.
    auto twice = [](std::size_t i) { return 2 * i; };
    const auto ys = parmap::parallel_map(policy.gather_to_all(), parmap::iota(std::size_t{5}), twice);
    CHECK(ys == std::vector<std::size_t>{0, 2, 4, 6, 8});
    CHECK(parmap::parallel_map_reduce(policy, parmap::iota(std::size_t{5}), twice, std::size_t{0}, std::plus<>{}) == 20);
}

TEMPLATE_LIST_TEST_CASE("error policies: as_values returns results on the root, or on every rank", "[errors][policies]",
                        mpi_test::locals) {
    const int me = mpi_test::rank(), size = mpi_test::ranks();
    INFO("local=" << TestType::name << " ranks=" << size);
    const auto policy = parmap::mpi(TestType::policy().errors(parmap::on_error::as_values));
    std::atomic<std::size_t> calls{0};
    failing_f f{&calls};
    std::vector<std::size_t> input;  // on the root only: the elements travel
    for (std::size_t i = 0; me == 0 && i < n_elements; ++i) input.push_back(i);
    for (const bool to_all : {false, true}) {
        const std::vector<parmap::result<long>> rs = parmap::parallel_map(policy.gather_to_all(to_all), input, f);
        if (!to_all && me != 0) {
            CHECK(rs.empty());
            continue;
        }
        CHECK(rs.size() == n_elements);
        for (std::size_t i = 0; i < rs.size(); ++i) {
            INFO("element " << i);
            const bool fails = i == 3 || i == 50 || i == 97 || i == 99;
            CHECK(rs[i].has_value() == !fails);
            if (!fails && rs[i].has_value()) CHECK(*rs[i] == 3 * static_cast<long>(i));
            const int owner = mpi_test::owner_of(i, n_elements, size);
            if (fails && !rs[i].has_value()) check_failure({i, rs[i].error(), owner}, i, owner);
        }
    }
    CHECK(total_calls(calls) == 2 * n_elements);
}

TEST_CASE("error policies: max_errors(k) over MPI lists the k lowest failures (serial local policy)", "[errors][policies]") {
    const int size = mpi_test::ranks();
    auto owner = [size](std::size_t i) { return mpi_test::owner_of(i, n_elements, size); };
    std::atomic<std::size_t> calls{0};
    failing_f f{&calls};
    const auto collect = parmap::serial.errors(parmap::on_error::collect);
    check_errors([&] { parmap::parallel_map(parmap::mpi(collect.max_errors(2)), parmap::iota(n_elements), f); }, {3, 50}, owner);
    const auto as_values = parmap::serial.errors(parmap::on_error::as_values);
    check_errors([&] { parmap::parallel_map(parmap::mpi(as_values.max_errors(4)), parmap::iota(n_elements), f); }, failing, owner);
    // Below the limit, as_values returns.
    const auto rs = parmap::parallel_map(parmap::mpi(as_values.max_errors(5)).gather_to_all(), parmap::iota(n_elements), f);
    CHECK(rs.size() == n_elements);
}

TEMPLATE_LIST_TEST_CASE("error policies: retries run again on the rank that failed", "[errors][policies]", mpi_test::locals) {
    INFO("local=" << TestType::name << " ranks=" << mpi_test::ranks());
    // Odd elements fail on their first attempt; element 7 always fails.
    auto flaky = [](std::size_t i) -> std::size_t {
        if (i == 7 || (i % 2 == 1 && parmap::attempt() == 1)) throw std::runtime_error("attempt " + std::to_string(parmap::attempt()));
        return i + 1;
    };
    const auto always = [](const std::exception_ptr&) { return true; };
    const auto base = parmap::mpi(TestType::policy().errors(parmap::on_error::collect).retries(2, always)).gather_to_all();
    try {
        parmap::parallel_map(base, parmap::iota(std::size_t{20}), flaky);
        FAIL_CHECK("no parmap::errors");
    } catch (const parmap::errors& e) {
        CHECK(e.failures().size() == 1);
        CHECK(e.failures().front().index == 7);
        CHECK(std::string(e.what()) == "1 of 20 elements failed; first at 7: attempt 3");  // the last attempt's message
    }
    auto fine = [](std::size_t i) -> std::size_t {
        if (i % 2 == 1 && parmap::attempt() == 1) throw std::runtime_error("first attempt");
        return i + 1;
    };
    const auto fail_fast = parmap::mpi(TestType::policy().retries(1, always)).gather_to_all();
    const auto ys = parmap::parallel_map(fail_fast, parmap::iota(std::size_t{20}), fine);
    for (std::size_t i = 0; i < ys.size(); ++i) CHECK(ys[i] == i + 1);
    CHECK(ys.size() == 20);
}

TEST_CASE("error policies: a bad error option is parmap::mpi_error on every rank", "[errors][policies][misuse]") {
    bool threw = false;
    try {
        parmap::parallel_map(parmap::mpi(parmap::serial.errors(parmap::on_error::collect).max_errors(0)), parmap::iota(10),
                             [](int i) { return i; });
    } catch (const parmap::mpi_error& e) {
        threw = true;
        CHECK(e.rank() == 0);
        CHECK(e.message() == "parmap: .max_errors(0): the limit must be at least 1 failure");
    }
    CHECK(threw);
}
