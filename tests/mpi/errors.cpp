// Failures over MPI: an exception on one rank becomes parmap::mpi_error on every rank, naming the lowest
// failing rank and its message; sizes that disagree and bad options are errors, never hangs; the next
// call works.
#include "common.hpp"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace {

/// Runs call() on every rank and checks that it threw mpi_error naming `failing` and `message` everywhere.
template <class Call>
void check_fails_everywhere(Call&& call, int failing, const std::string& message) {
    bool threw = false;
    try {
        call();
    } catch (const parmap::mpi_error& e) {
        threw = true;
        CHECK(e.rank() == failing);
        CHECK(e.message() == message);
        CHECK(std::string(e.what()) ==
              "parmap::mpi: rank " + std::to_string(failing) + " of " + std::to_string(mpi_test::ranks()) + " failed: " + message);
        CHECK((e.local_exception() != nullptr) == (mpi_test::rank() == failing));
    }
    CHECK(threw);
}

} // namespace

TEMPLATE_LIST_TEST_CASE("errors: a throw on one rank surfaces on every rank with that rank and message", "[errors]",
                        mpi_test::locals) {
    const int size = mpi_test::ranks(), me = mpi_test::rank();
    const std::size_t n = 1000;
    const std::size_t bad = GENERATE(as<std::size_t>{}, 0, 499, 999);
    const int owner = mpi_test::owner_of(bad, n, size);
    INFO("local=" << TestType::name << " ranks=" << size << " bad element=" << bad << " on rank " << owner);
    const std::string message = "boom at " + std::to_string(bad);
    auto f = [bad, message](std::size_t i) {
        if (i == bad) throw std::runtime_error(message);
        return static_cast<double>(i);
    };
    const auto policy = parmap::mpi(TestType::policy());
    const auto input = me == 0 ? parmap::iota(n) : parmap::iota(std::size_t{0});
    check_fails_everywhere([&] { parmap::parallel_map(policy, input, f); }, owner, message);
    check_fails_everywhere([&] { parmap::parallel_map(policy.gather_to_all(), input, f); }, owner, message);
    check_fails_everywhere([&] { parmap::parallel_map_reduce(policy, input, f, 0.0, std::plus<>{}); },
                           mpi_test::owner_of(bad / 16, parmap::detail::ceil_div(n, 16), size), message);  // 16-element blocks
    check_fails_everywhere([&] { parmap::parallel_for(policy, n, [&](std::size_t i) { f(i); }); }, owner, message);

    // On the failing rank the original exception is kept.
    try {
        parmap::parallel_map(policy, input, f);
    } catch (const parmap::mpi_error& e) {
        if (me == owner) CHECK_THROWS_WITH(std::rethrow_exception(e.local_exception()), message);
    }

    // The next call works, with no trace of the failure.
    const auto ys = parmap::parallel_map(policy.gather_to_all(), parmap::iota(std::size_t{10}), [](std::size_t i) { return 2 * i; });
    CHECK(ys == std::vector<std::size_t>{0, 2, 4, 6, 8, 10, 12, 14, 16, 18});
}

TEST_CASE("errors: when several ranks fail, the lowest one is reported", "[errors]") {
    const int me = mpi_test::rank(), size = mpi_test::ranks();
    const int first_bad = size > 1 ? 1 : 0;  // every rank from this one throws, each with its own message
    auto f = [me, first_bad](int i) {
        if (me >= first_bad) throw std::runtime_error("rank " + std::to_string(me) + " gave up");
        return i;
    };
    check_fails_everywhere([&] { parmap::parallel_map(parmap::mpi(parmap::serial), parmap::iota(100), f); }, first_bad,
                           "rank " + std::to_string(first_bad) + " gave up");
    check_fails_everywhere(
        [&] {
            parmap::parallel_map(parmap::mpi(parmap::serial), parmap::iota(100), [](int) -> int { throw 42; });
        },
        0, "an exception of a type not derived from std::exception");
}

TEST_CASE("errors: misuse is an exception on every rank", "[errors][misuse]") {
    const int me = mpi_test::rank(), size = mpi_test::ranks();
    const std::vector<double> xs(10, 1.0);
    auto twice = [](double x) { return 2 * x; };

    // A root that is not a rank: every rank sees it at once, so each throws without communicating.
    CHECK_THROWS_AS(parmap::parallel_map(parmap::mpi(parmap::serial).root(size), xs, twice), std::invalid_argument);
    CHECK_THROWS_WITH(parmap::parallel_map(parmap::mpi(parmap::serial).root(-1), xs, twice),
                      Catch::Contains(".root(-1) is not a rank of the communicator"));
    CHECK_THROWS_AS(parmap::parallel_map(parmap::mpi(parmap::serial).comm(MPI_COMM_NULL), xs, twice), std::invalid_argument);

    // A local policy's bad option (found on every rank: the lowest is reported).
    check_fails_everywhere([&] { parmap::parallel_map(parmap::mpi(parmap::threads.workers(5000)), xs, twice); }, 0,
                           "parmap: .workers(5000) asks for more than 4096 threads");

    if (size > 1) {
        // A non-root rank with an input of another length than the root's.
        const std::vector<double> mine = me == 0 ? xs : std::vector<double>(me == 1 ? 3 : 0, 1.0);
        const std::string sizes = "this rank passed 3 elements but the root (rank 0) passed 10: other ranks pass an empty "
                                  "range or one as long as the root's";
        check_fails_everywhere([&] { parmap::parallel_map(parmap::mpi(parmap::serial), mine, twice); }, 1, sizes);
        check_fails_everywhere([&] { parmap::parallel_map_reduce(parmap::mpi(parmap::serial), mine, twice, 0.0, std::plus<>{}); }, 1,
                               sizes);
        // A rank whose policy gathers to all when the root's does not (it would wait in another collective).
        check_fails_everywhere([&] { parmap::parallel_map(parmap::mpi(parmap::serial).gather_to_all(me == 1), xs, twice); }, 1,
                               "this rank's policy has .gather_to_all() but the root's lacks it: every rank passes the same policy");
        // parallel_for with another n than the root's.
        check_fails_everywhere([&] { parmap::parallel_for(parmap::mpi(parmap::serial), me == 1 ? 5 : 10, [](std::size_t) {}); }, 1,
                               "parallel_for over MPI: this rank's n is 5 but the root's (rank 0) is 10: every rank passes the same n");
    }
}
