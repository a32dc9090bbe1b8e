// parallel_map_reduce and parallel_for over MPI: the reduction gives the serial backend's bits on every
// rank for every rank count; parallel_for runs every index exactly once across the ranks.
#include "common.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>

namespace {

std::vector<double> awkward_values(std::size_t n) {
    std::vector<double> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = std::sin(static_cast<double>(i)) * 1e3 + 1.0 / static_cast<double>(i + 1);
    return xs;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// 2x2 matrices of integers mod 2^64: an associative product that is not commutative, so any change of
/// order shows.
struct matrix {
    std::uint64_t a, b, c, d;
    friend bool operator==(const matrix& x, const matrix& y) { return x.a == y.a && x.b == y.b && x.c == y.c && x.d == y.d; }
};
matrix multiply(const matrix& x, const matrix& y) {
    return {x.a * y.a + x.b * y.c, x.a * y.b + x.b * y.d, x.c * y.a + x.d * y.c, x.c * y.b + x.d * y.d};
}
matrix element_matrix(std::uint64_t i) { return {i + 1, 2 * i + 3, i * i, 1}; }

} // namespace

TEMPLATE_LIST_TEST_CASE("reduce: a double sum has the serial backend's bits on every rank", "[reduce]", mpi_test::locals) {
    const int size = mpi_test::ranks(), me = mpi_test::rank();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 3, 17, 1000, 16385, 1000000);
    const int root = GENERATE_COPY(0, size - 1);
    INFO("local=" << TestType::name << " ranks=" << size << " n=" << n << " root=" << root);
    const std::vector<double> all = awkward_values(n);
    const std::vector<double> xs = me == root ? all : std::vector<double>{};
    auto f = [](double x) { return x * x / 3.0 + 0.1; };
    const double reference = parmap::parallel_map_reduce(parmap::serial, all, f, 0.25, std::plus<>{});
    const double got = parmap::parallel_map_reduce(parmap::mpi(TestType::policy()).root(root), xs, f, 0.25, std::plus<>{});
    CHECK(same_bits(got, reference));
}

TEMPLATE_LIST_TEST_CASE("reduce: a non-commutative product over an index range keeps the order", "[reduce]", mpi_test::locals) {
    const std::uint64_t n = GENERATE(as<std::uint64_t>{}, 0, 2, 5, 4097, 100001);
    INFO("local=" << TestType::name << " n=" << n);
    matrix expected{1, 0, 0, 1};
    for (std::uint64_t i = 0; i < n; ++i) expected = multiply(expected, element_matrix(i));
    const matrix got = parmap::parallel_map_reduce(parmap::mpi(TestType::policy()), parmap::iota(n), element_matrix,
                                                   matrix{1, 0, 0, 1}, multiply);
    CHECK(got == expected);
}

TEST_CASE("reduce: an integer sum over a std::vector<int> input with a float result", "[reduce]") {
    const int me = mpi_test::rank();
    std::vector<int> xs;
    if (me == 0) {
        for (int i = 0; i < 5000; ++i) xs.push_back(i % 97 - 40);
    }
    std::vector<int> all;
    for (int i = 0; i < 5000; ++i) all.push_back(i % 97 - 40);
    auto f = [](int x) { return static_cast<float>(x) * 0.1f; };
    const float reference = parmap::parallel_map_reduce(parmap::serial, all, f, 1.0f, std::plus<>{});
    const float got = parmap::parallel_map_reduce(parmap::mpi(parmap::threads.workers(2)), xs, f, 1.0f, std::plus<>{});
    CHECK(std::memcmp(&got, &reference, sizeof got) == 0);
}

TEMPLATE_LIST_TEST_CASE("for: every index runs exactly once across the ranks, on its block's rank", "[for]", mpi_test::locals) {
    const int size = mpi_test::ranks(), me = mpi_test::rank();
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 3, 1001);
    INFO("local=" << TestType::name << " n=" << n);
    std::vector<int> ran(n, 0);  // each i is written by one worker only
    parmap::parallel_for(parmap::mpi(TestType::policy()), n, [&](std::size_t i) { ran[i] += 1; });
    bool on_owner = true;
    for (std::size_t i = 0; i < n; ++i) on_owner = on_owner && (ran[i] == (mpi_test::owner_of(i, n, size) == me ? 1 : 0));
    CHECK(on_owner);
    std::vector<int> total(n, 0);
    MPI_Allreduce(ran.data(), total.data(), static_cast<int>(n), MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    CHECK(total == std::vector<int>(n, 1));
}
