// parmap::verify with <parmap/mpi.hpp> and MPI running: the MPI configurations join the list (every rank
// calls verify with the same input), agree for a pure f, and show a rank-dependent f as a difference.
#include "common.hpp"

#include <parmap/parmap.hpp>

#include <stdexcept>
#include <string>

namespace {

std::size_t mpi_lines(const parmap::verify_report& report) {
    std::size_t count = 0;
    for (const auto& c : report.configurations()) {
        if (c.policy.rfind("parmap::mpi(", 0) == 0 && !c.skipped) ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("verify runs parmap::mpi(serial) and parmap::mpi(threads) over MPI_COMM_WORLD", "[verify]") {
    const std::size_t n = 1003;
    const auto pure = parmap::verify(parmap::iota(n), [](std::size_t i) { return 0.5 * static_cast<double>(i * i); });
    CHECK(pure.ok());
    CHECK(mpi_lines(pure) == 2);

    auto throws = [](std::size_t i) {
        if (i == n - 10) throw std::runtime_error("element " + std::to_string(i) + " failed");
        return i;
    };
    const auto failing = parmap::verify(parmap::iota(n), throws);
    INFO(failing);
    CHECK(failing.ok());  // across processes the message is compared
    CHECK(parmap::verify_reduce(parmap::iota(n), throws, std::size_t{0}, std::plus<>{}).ok());

    const int rank = mpi_test::rank();
    const auto by_rank = parmap::verify(parmap::iota(n), [rank](std::size_t i) { return i + (rank == 0 ? 0u : 1u); });
    std::size_t mpi_differ = 0;
    for (const auto& c : by_rank.configurations()) mpi_differ += c.policy.rfind("parmap::mpi(", 0) == 0 && !c.ok();
    CHECK(mpi_differ == (mpi_test::ranks() > 1 ? 2u : 0u));
}
