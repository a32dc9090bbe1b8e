// Must not compile (under -DPARMAP_EXPECT_ERROR=<case>), each with the message written for the user;
// without the macro it must compile (the control, so no case can fail for a wrong reason).
//   1: f takes a column: with an Eigen input f receives one coefficient
//   2: f returns an Eigen vector per coefficient: the result's scalar cannot be an Eigen object
//   3: f returns void
#include <parmap/eigen.hpp>

#include <Eigen/Core>

int main() {
    const Eigen::MatrixXd m = Eigen::MatrixXd::Constant(3, 4, 2.0);
#if PARMAP_EXPECT_ERROR == 1
    auto got = parmap::parallel_map(parmap::serial, m, [](const Eigen::VectorXd& column) { return column.sum(); });
#elif PARMAP_EXPECT_ERROR == 2
    auto got = parmap::parallel_map(parmap::serial, m, [](double x) { return Eigen::Vector2d(x, -x); });
#elif PARMAP_EXPECT_ERROR == 3
    auto got = parmap::parallel_map(parmap::serial, m, [](double) {});
#else
    auto got = parmap::parallel_map(parmap::serial, m, [](double x) { return x + 1.0; });
#endif
    return got.rows() == 3 ? 0 : 1;
}
