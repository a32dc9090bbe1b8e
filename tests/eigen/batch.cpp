// A std::vector of fixed-size Eigen matrices is a batch: a plain range whose elements f receives whole.
// Determinants and inverses of 100000 seeded, well-conditioned 3x3 matrices equal a serial loop's exactly
// (the same code computes them), on every backend; fixed-size types may go to a device, dynamic ones not.
#include "batch_data.hpp"
#include "eigen_common.hpp"

#include <cstring>
#include <functional>
#include <vector>

using namespace eigen_tests;

static_assert(parmap::is_device_copyable_v<Eigen::Matrix3d>);
static_assert(parmap::is_device_copyable_v<const Eigen::Matrix4f>);
static_assert(parmap::is_device_copyable_v<Eigen::Vector3d>);
static_assert(parmap::is_device_copyable_v<Eigen::Array33f>);
static_assert(parmap::is_device_copyable_v<Eigen::Matrix<int, 2, 5, Eigen::RowMajor>>);
static_assert(!parmap::is_device_copyable_v<Eigen::MatrixXd>);
static_assert(!parmap::is_device_copyable_v<Eigen::VectorXd>);
static_assert(!parmap::is_device_copyable_v<Eigen::ArrayXXf>);
static_assert(!parmap::is_device_copyable_v<Eigen::Matrix<double, 3, Eigen::Dynamic>>);

namespace {

const std::vector<Eigen::Matrix3d>& batch() {
    static const std::vector<Eigen::Matrix3d> matrices = make_batch(100000);
    return matrices;
}

const auto determinant = [](const Eigen::Matrix3d& m) { return m.determinant(); };
// Return the plain type: m.inverse() alone is an expression that refers to m.
const auto inverse = [](const Eigen::Matrix3d& m) -> Eigen::Matrix3d { return m.inverse(); };

bool same_bits(const Eigen::Matrix3d& a, const Eigen::Matrix3d& b) { return std::memcmp(a.data(), b.data(), sizeof(double) * 9) == 0; }

}  // namespace

TEMPLATE_LIST_TEST_CASE("batch: determinants of 100000 3x3 matrices equal a serial loop's", "[eigen][batch]", backends) {
    EIGEN_TEST_POLICY(policy);
    std::vector<double> want;
    for (const Eigen::Matrix3d& m : batch()) want.push_back(determinant(m));
    const std::vector<double> got = parmap::parallel_map(policy, batch(), determinant);
    CHECK(conformance::mismatch(got, want) == "");
}

TEMPLATE_LIST_TEST_CASE("batch: inverses of 100000 3x3 matrices equal a serial loop's", "[eigen][batch]", backends) {
    EIGEN_TEST_POLICY(policy);
    const std::vector<Eigen::Matrix3d> got = parmap::parallel_map(policy, batch(), inverse);
    REQUIRE(got.size() == batch().size());
    std::size_t different = 0;
    double worst_residual = 0.0;
    for (std::size_t k = 0; k < got.size(); ++k) {
        if (!same_bits(got[k], inverse(batch()[k]))) ++different;
        worst_residual = std::max(worst_residual, (batch()[k] * got[k] - Eigen::Matrix3d::Identity()).cwiseAbs().maxCoeff());
    }
    CHECK(different == 0);
    CHECK(worst_residual < 1e-13);
}

TEMPLATE_LIST_TEST_CASE("batch: a sum of matrices has parmap::serial's bits, Matrix4f elements stay aligned", "[eigen][batch]",
                        backends) {
    EIGEN_TEST_POLICY(policy);
    auto add = [](const Eigen::Matrix3d& a, const Eigen::Matrix3d& b) -> Eigen::Matrix3d { return a + b; };
    const Eigen::Matrix3d zero = Eigen::Matrix3d::Zero();
    const Eigen::Matrix3d serial = parmap::parallel_map_reduce(parmap::serial, batch(), inverse, zero, add);
    CHECK(same_bits(parmap::parallel_map_reduce(policy, batch(), inverse, zero, add), serial));

    // Matrix4f is a vectorisable type (16-byte aligned): results built in place must keep that.
    std::vector<Eigen::Matrix4f> squares_in(3001);
    for (std::size_t k = 0; k < squares_in.size(); ++k) squares_in[k] = Eigen::Matrix4f::Constant(static_cast<float>(k % 13) - 6.0f);
    auto square = [](const Eigen::Matrix4f& m) -> Eigen::Matrix4f { return m * m; };
    const std::vector<Eigen::Matrix4f> squares = parmap::parallel_map(policy, squares_in, square);
    std::size_t different = 0;
    for (std::size_t k = 0; k < squares.size(); ++k) different += squares[k] == square(squares_in[k]) ? 0 : 1;
    CHECK(different == 0);
}
