// parallel_map_reduce over Eigen dense inputs: the coefficients in storage order, integers exactly as a
// plain loop, floating-point sums with parmap::serial's bits on every backend and worker count, and
// expressions evaluated once (the evaluated copy lives until the reduction ends).
#include "eigen_common.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

using namespace eigen_tests;

namespace {

using row_major_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// Coefficients whose sum depends on the order of the additions: large oscillating terms and small ones.
Eigen::MatrixXd order_sensitive(Eigen::Index rows, Eigen::Index cols) {
    return Eigen::MatrixXd::NullaryExpr(rows, cols, [rows](Eigen::Index i, Eigen::Index j) {
        const double k = static_cast<double>(j * rows + i);
        return std::sin(k) * 1e3 + 1.0 / (k + 1.0);
    });
}

/// The coefficients of x in its storage order, by a plain loop over (i, j).
template <class Derived>
std::vector<typename Derived::Scalar> storage_order(const Eigen::DenseBase<Derived>& x) {
    std::vector<typename Derived::Scalar> out;
    const bool row_major = (int(Derived::Flags) & Eigen::RowMajorBit) != 0;
    for (Eigen::Index outer = 0; outer < x.outerSize(); ++outer) {
        for (Eigen::Index inner = 0; inner < x.innerSize(); ++inner) {
            out.push_back(row_major ? x.derived()(outer, inner) : x.derived()(inner, outer));
        }
    }
    return out;
}

/// A polynomial hash of a sequence: combining two is associative and not commutative, so the reduction
/// shows the order in which it saw the coefficients. Trivially copyable, so device backends take it too.
struct sequence_hash {
    std::uint64_t hash;
    std::uint64_t power;  // 1000003^length
    friend bool operator==(const sequence_hash& a, const sequence_hash& b) { return a.hash == b.hash && a.power == b.power; }
};
const auto hash_one = [](double x) { return sequence_hash{static_cast<std::uint64_t>(std::llround(x * 1000.0)), 1000003u}; };
const auto hash_concat = [](const sequence_hash& a, const sequence_hash& b) {
    return sequence_hash{a.hash * b.power + b.hash, a.power * b.power};
};
const sequence_hash empty_sequence{1, 1};

template <class Derived>
sequence_hash hash_in_storage_order(const Eigen::DenseBase<Derived>& x) {
    sequence_hash want = empty_sequence;
    for (double v : storage_order(x)) want = hash_concat(want, hash_one(v));
    return want;
}

}  // namespace

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce of integers equals a plain loop exactly", "[eigen][reduce]", backends) {
    EIGEN_TEST_POLICY(policy);
    const Eigen::Index rows = GENERATE(as<Eigen::Index>{}, 0, 1, 37, 301);
    INFO("rows=" << rows);
    const Eigen::MatrixXi m = sample<Eigen::MatrixXi>(rows, 53);
    auto wobble = [](int x) { return static_cast<std::int64_t>(x) * x * x - 7; };
    std::int64_t want = 1000;
    for (Eigen::Index j = 0; j < m.cols(); ++j) {
        for (Eigen::Index i = 0; i < m.rows(); ++i) want += wobble(m(i, j));
    }
    CHECK(parmap::parallel_map_reduce(policy, m, wobble, std::int64_t{1000}, std::plus<>{}) == want);
    CHECK(parmap::parallel_map_reduce(policy, m.transpose().eval(), wobble, std::int64_t{1000}, std::plus<>{}) == want);
    CHECK(parmap::parallel_map_reduce(policy, m.array() * 1, wobble, std::int64_t{1000}, std::plus<>{}) == want);
}

TEMPLATE_LIST_TEST_CASE("a floating-point sum has parmap::serial's bits, in storage order", "[eigen][reduce][bits]", backends) {
    EIGEN_TEST_POLICY(policy);
    auto square = [](double x) { return x * x; };
    const Eigen::MatrixXd m = order_sensitive(301, 200);
    const std::vector<double> flat = storage_order(m);
    const double serial = parmap::parallel_map_reduce(parmap::serial, flat, square, 0.5, std::plus<>{});
    CHECK(same_bits(parmap::parallel_map_reduce(policy, m, square, 0.5, std::plus<>{}), serial));
    const row_major_matrix transposed = m.transpose();  // the same coefficients in the same storage order
    CHECK(same_bits(parmap::parallel_map_reduce(policy, transposed, square, 0.5, std::plus<>{}), serial));
    CHECK(same_bits(parmap::parallel_map_reduce(policy, m.transpose(), square, 0.5, std::plus<>{}), serial));

    const auto block = m.block(10, 20, 150, 90);
    const double block_serial = parmap::parallel_map_reduce(parmap::serial, storage_order(block), square, 0.0, std::plus<>{});
    CHECK(same_bits(parmap::parallel_map_reduce(policy, block, square, 0.0, std::plus<>{}), block_serial));
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce sees the coefficients in storage order", "[eigen][reduce][order]", backends) {
    EIGEN_TEST_POLICY(policy);
    const Eigen::MatrixXd m = sample<Eigen::MatrixXd>(37, 53);
    auto reduce = [&policy](const auto& input) { return parmap::parallel_map_reduce(policy, input, hash_one, empty_sequence, hash_concat); };
    SECTION("column-major") { CHECK(reduce(m) == hash_in_storage_order(m)); }
    SECTION("row-major") {
        const row_major_matrix r = sample<row_major_matrix>(37, 53);
        CHECK(reduce(r) == hash_in_storage_order(r));
    }
    SECTION("a strided block, a map with an outer stride, an expression") {
        const auto block = m.block(3, 4, 30, 40);
        CHECK(reduce(block) == hash_in_storage_order(block));
        const Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>> outer(m.data(), 20, 50, Eigen::OuterStride<>(37));
        CHECK(reduce(outer) == hash_in_storage_order(outer));
        const Eigen::MatrixXd sum = m + m.reverse();
        CHECK(reduce(m + m.reverse()) == hash_in_storage_order(sum));
    }
}

TEMPLATE_LIST_TEST_CASE("parallel_map_reduce evaluates an expression once and returns init when empty", "[eigen][reduce]",
                        backends) {
    EIGEN_TEST_POLICY(policy);
    std::atomic<long> evaluations{0};
    auto counted_negate = [&evaluations](double x) {
        evaluations.fetch_add(1);
        return -x;
    };
    const Eigen::MatrixXd m = sample<Eigen::MatrixXd>(64, 64);
    const double got = parmap::parallel_map_reduce(policy, m.unaryExpr(counted_negate), [](double x) { return x; }, 0.0, std::plus<>{});
    CHECK(evaluations.load() == m.size());
    CHECK(same_bits(got, parmap::parallel_map_reduce(parmap::serial, storage_order(-m), [](double x) { return x; }, 0.0, std::plus<>{})));
    CHECK(parmap::parallel_map_reduce(policy, Eigen::MatrixXd(0, 5), [](double x) { return x; }, 42.0, std::plus<>{}) == 42.0);
}
