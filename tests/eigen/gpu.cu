// parmap/eigen.hpp on the GPU through parmap::thrust (built by nvcc): a batch of fixed-size matrices
// (determinants, inverses, a sum) and element-wise maps and reductions of dynamic ones, checked against
// the host. Exits 77 (ctest: skipped) when this machine has no usable CUDA device.
//
// The device may fuse a * b + c where the host does not (nvcc's --fmad), so floating-point results are
// compared with a tolerance of a few ulps of the data's scale; integer and exactly representable ones exactly.
#include "batch_data.hpp"

#include <parmap/eigen.hpp>
#include <parmap/thrust.hpp>

#include <Eigen/Dense>

#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok" : "FAILED", what);
    if (!ok) ++failures;
}

bool close(double got, double want) { return std::abs(got - want) <= 1e-13 * std::max(1.0, std::abs(want)); }

}  // namespace

int main() {
    int devices = 0;
    if (cudaGetDeviceCount(&devices) != cudaSuccess || devices == 0) {
        std::printf("skipped: no CUDA device\n");
        return 77;
    }
    const auto gpu = parmap::thrust;

    // A batch: the elements are whole fixed-size matrices, copied to the device as bytes.
    const std::vector<Eigen::Matrix3d> batch = eigen_tests::make_batch(100000);
    const std::vector<double> dets =
        parmap::parallel_map(gpu, batch, [] PARMAP_HD(const Eigen::Matrix3d& m) { return m.determinant(); });
    const std::vector<Eigen::Matrix3d> invs =
        parmap::parallel_map(gpu, batch, [] PARMAP_HD(const Eigen::Matrix3d& m) -> Eigen::Matrix3d { return m.inverse(); });
    bool dets_ok = dets.size() == batch.size();
    bool invs_ok = invs.size() == batch.size();
    for (std::size_t k = 0; k < batch.size() && dets_ok && invs_ok; ++k) {
        dets_ok = close(dets[k], batch[k].determinant());
        const Eigen::Matrix3d want = batch[k].inverse();
        for (int e = 0; e < 9; ++e) invs_ok = invs_ok && close(invs[k](e), want(e));
    }
    check(dets_ok, "determinants of 100000 3x3 matrices");
    check(invs_ok, "inverses of 100000 3x3 matrices");
    const Eigen::Matrix3d sum = parmap::parallel_map_reduce(
        gpu, batch, [] PARMAP_HD(const Eigen::Matrix3d& m) -> Eigen::Matrix3d { return m; }, Eigen::Matrix3d::Zero().eval(),
        [] PARMAP_HD(const Eigen::Matrix3d& a, const Eigen::Matrix3d& b) -> Eigen::Matrix3d { return a + b; });
    Eigen::Matrix3d want_sum = Eigen::Matrix3d::Zero();
    for (const Eigen::Matrix3d& m : batch) want_sum += m;
    check((sum - want_sum).cwiseAbs().maxCoeff() <= 1e-9, "a sum of 100000 matrices");

    // Element-wise: the coefficients of a dynamic matrix or an expression go to the device as a range.
    const Eigen::MatrixXd m = Eigen::MatrixXd::NullaryExpr(301, 200, [](Eigen::Index i, Eigen::Index j) {
        return std::sin(0.7 * static_cast<double>(i) + 1.3 * static_cast<double>(j)) * 100.0;
    });
    const Eigen::MatrixXi floors = parmap::parallel_map(gpu, m, [] PARMAP_HD(double x) { return static_cast<int>(std::floor(x)); });
    check(floors.rows() == 301 && floors.cols() == 200 && floors == m.array().floor().cast<int>().matrix(),
          "MatrixXd to MatrixXi, coefficient by coefficient");
    using row_major_bools = Eigen::Matrix<bool, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const row_major_bools positive = parmap::parallel_map(gpu, m.transpose(), [] PARMAP_HD(double x) { return x > 0.0; });
    check(positive.rows() == 200 && positive.cols() == 301 && positive == (m.transpose().array() > 0.0).matrix(),
          "a transpose (an expression) to a row-major Matrix<bool>");
    const Eigen::MatrixXd halves =
        parmap::parallel_map(gpu, m.block(10, 20, 100, 50), [] PARMAP_HD(double x) { return x * 0.5; });
    check(halves == m.block(10, 20, 100, 50) * 0.5, "a strided block, halved (exact on every device)");

    const std::int64_t total = parmap::parallel_map_reduce(
        gpu, floors, [] PARMAP_HD(int x) { return static_cast<std::int64_t>(x); }, std::int64_t{0}, std::plus<>{});
    check(total == floors.cast<std::int64_t>().sum(), "an integer sum over a MatrixXi");
    const double squares = parmap::parallel_map_reduce(gpu, m, [] PARMAP_HD(double x) { return x * x; }, 0.0, std::plus<>{});
    const double serial = parmap::parallel_map_reduce(parmap::serial, m, [](double x) { return x * x; }, 0.0, std::plus<>{});
    check(std::abs(squares - serial) <= 1e-12 * serial, "a floating-point sum of squares");
    std::printf("sum of squares: device %.17g, serial %.17g (%s bits)\n", squares, serial, squares == serial ? "the same" : "other");
    return failures == 0 ? 0 : 1;
}
