// parallel_map over Eigen dense inputs: an object of the same shape, kind (Matrix or Array) and storage
// order, f applied to every coefficient, for plain objects, fixed sizes, maps with strides, blocks and
// expressions, with a change of scalar type, and for empty inputs.
#include "eigen_common.hpp"

#include <atomic>
#include <type_traits>
#include <vector>

using namespace eigen_tests;

namespace {

using row_major_matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// No a * b + c in the tests' functions: clang may fuse it (-ffp-contract=on) when it folds a plain loop over
// constants at compile time, and not in the same code at run time, which would change the last bit.
const auto wiggle = [](double x) { return (x + 1.5) * x; };

}  // namespace

TEMPLATE_LIST_TEST_CASE("a MatrixXd gives a MatrixXd of the same shape", "[eigen][map]", backends) {
    EIGEN_TEST_POLICY(policy);
    const Eigen::Index rows = GENERATE(as<Eigen::Index>{}, 37, 300);
    const Eigen::Index cols = GENERATE(as<Eigen::Index>{}, 53, 1);
    INFO("shape=" << rows << "x" << cols);
    CHECK(map_mismatch<Eigen::MatrixXd>(policy, sample<Eigen::MatrixXd>(rows, cols), wiggle) == "");
}

TEMPLATE_LIST_TEST_CASE("a row-major matrix gives a row-major matrix", "[eigen][map]", backends) {
    EIGEN_TEST_POLICY(policy);
    CHECK(map_mismatch<row_major_matrix>(policy, sample<row_major_matrix>(29, 41), wiggle) == "");
}

TEMPLATE_LIST_TEST_CASE("arrays give arrays, fixed sizes give fixed sizes, vectors give vectors", "[eigen][map]", backends) {
    EIGEN_TEST_POLICY(policy);
    auto half = [](float x) { return (x + 2.0f) * 0.5f; };
    CHECK(map_mismatch<Eigen::ArrayXXf>(policy, sample<Eigen::ArrayXXf>(31, 67), half) == "");
    CHECK(map_mismatch<Eigen::Matrix4f>(policy, sample<Eigen::Matrix4f>(4, 4), half) == "");
    // A fixed size of 2, whose (rows, cols) constructor would set the two coefficients.
    CHECK(map_mismatch<Eigen::Vector2f>(policy, Eigen::Vector2f(3.0f, -5.0f), half) == "");
    CHECK(map_mismatch<Eigen::VectorXd>(policy, sample<Eigen::VectorXd>(5003, 1), wiggle) == "");
    CHECK(map_mismatch<Eigen::RowVectorXd>(policy, sample<Eigen::RowVectorXd>(1, 4099), wiggle) == "");
}

TEMPLATE_LIST_TEST_CASE("the scalar type of the result is f's result type", "[eigen][map]", backends) {
    EIGEN_TEST_POLICY(policy);
    const Eigen::MatrixXd m = sample<Eigen::MatrixXd>(37, 53);
    auto floor_int = [](double x) { return static_cast<int>(std::floor(x)); };
    CHECK(map_mismatch<Eigen::MatrixXi>(policy, m, floor_int) == "");
    auto positive = [](const double& x) { return x > 0.0; };  // f may take a const reference
    CHECK(map_mismatch<Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic>>(policy, m, positive) == "");
    auto widen = [](float x) { return static_cast<double>(x) / 3.0; };
    CHECK(map_mismatch<Eigen::Array33d>(policy, sample<Eigen::Array33f>(3, 3), widen) == "");
}

TEMPLATE_LIST_TEST_CASE("expressions, blocks and strided maps are read coefficient by coefficient", "[eigen][map][expressions]",
                        backends) {
    EIGEN_TEST_POLICY(policy);
    const Eigen::MatrixXd m = sample<Eigen::MatrixXd>(37, 53);
    SECTION("a transpose: read in place, a row-major result") {
        CHECK(map_mismatch<row_major_matrix>(policy, m.transpose(), wiggle) == "");
    }
    SECTION("blocks: strided, a contiguous column, a strided row, fixed-size") {
        CHECK(map_mismatch<Eigen::MatrixXd>(policy, m.block(3, 5, 20, 30), wiggle) == "");
        CHECK(map_mismatch<Eigen::VectorXd>(policy, m.col(7), wiggle) == "");
        CHECK(map_mismatch<Eigen::RowVectorXd>(policy, m.row(11), wiggle) == "");
        const Eigen::Matrix4d small = sample<Eigen::Matrix4d>(4, 4);
        CHECK(map_mismatch<Eigen::Matrix<double, 2, 3>>(policy, small.block<2, 3>(1, 0), wiggle) == "");
    }
    SECTION("maps: contiguous, with an outer stride, with an inner stride, and a Ref") {
        std::vector<double> buffer(15 * 12);
        for (std::size_t k = 0; k < buffer.size(); ++k) buffer[k] = static_cast<double>(k % 17) - 8.5;
        const Eigen::Map<const Eigen::MatrixXd> contiguous(buffer.data(), 10, 18);
        CHECK(map_mismatch<Eigen::MatrixXd>(policy, contiguous, wiggle) == "");
        const Eigen::Map<const Eigen::MatrixXd, 0, Eigen::OuterStride<>> outer(buffer.data(), 10, 12, Eigen::OuterStride<>(15));
        CHECK(map_mismatch<Eigen::MatrixXd>(policy, outer, wiggle) == "");
        const Eigen::Map<const Eigen::VectorXd, 0, Eigen::InnerStride<3>> every_third(buffer.data(), 60);
        CHECK(map_mismatch<Eigen::VectorXd>(policy, every_third, wiggle) == "");
        const Eigen::Ref<const Eigen::MatrixXd> ref = m.bottomRightCorner(9, 8);
        CHECK(map_mismatch<Eigen::MatrixXd>(policy, ref, wiggle) == "");
    }
    SECTION("arithmetic expressions, evaluated once before the map") {
        std::atomic<long> evaluations{0};
        auto counted_abs = [&evaluations](double x) {
            evaluations.fetch_add(1);
            return std::abs(x);
        };
        // Expected values from the evaluated expression: the same Eigen code as the adapter's evaluation.
        const Eigen::MatrixXd evaluated = 2.0 * m + m.cwiseAbs();
        CHECK(map_mismatch<Eigen::MatrixXd>(policy, 2.0 * m + m.unaryExpr(counted_abs), wiggle, evaluated) == "");
        CHECK(evaluations.load() == m.size());
        const Eigen::ArrayXXf a = sample<Eigen::ArrayXXf>(40, 60);
        const Eigen::ArrayXXf evaluated_array = a.abs2() - a;
        CHECK(map_mismatch<Eigen::ArrayXXf>(policy, a.abs2() - a, [](float x) { return x + 1.0f; }, evaluated_array) == "");
    }
}

TEMPLATE_LIST_TEST_CASE("empty inputs give empty results of the same shape and never call f", "[eigen][map][empty]", backends) {
    EIGEN_TEST_POLICY(policy);
    std::atomic<int> calls{0};
    auto f = [&calls](double x) {
        calls.fetch_add(1);
        return x;
    };
    const Eigen::Index rows = GENERATE(as<Eigen::Index>{}, 0, 5);
    const Eigen::Index cols = rows == 0 ? 5 : 0;
    const Eigen::MatrixXd m(rows, cols);
    Eigen::MatrixXd got = parmap::parallel_map(policy, m, f);
    CHECK(got.rows() == rows);
    CHECK(got.cols() == cols);
    Eigen::MatrixXd from_block = parmap::parallel_map(policy, sample<Eigen::MatrixXd>(6, 6).block(1, 1, rows, cols), f);
    CHECK(from_block.rows() == rows);
    CHECK(from_block.cols() == cols);
    CHECK(calls.load() == 0);
}

TEST_CASE("the default policy and a non-const input", "[eigen][map]") {
    Eigen::MatrixXd m = sample<Eigen::MatrixXd>(70, 50);
    Eigen::MatrixXd got = parmap::parallel_map(m, wiggle);
    CHECK(coefficient_mismatch(got, plain_map<Eigen::MatrixXd>(m, wiggle)) == "");
}
