// The batch of small matrices that tests/eigen maps on the CPU backends (batch.cpp) and on the GPU (gpu.cu).
#pragma once

#include <parmap/random.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace eigen_tests {

/// n 3x3 matrices with coefficients in [-1, 1) plus 3 on the diagonal: strictly diagonally dominant, so
/// invertible and well-conditioned. Coefficient e of matrix k comes from Philox at (k, stream e).
inline std::vector<Eigen::Matrix3d> make_batch(std::size_t n) {
    const parmap::philox4x32 rng(20261127);
    std::vector<Eigen::Matrix3d> out(n);
    for (std::size_t k = 0; k < n; ++k) {
        for (int e = 0; e < 9; ++e) {
            const parmap::philox4x32::counter_type w = rng(k, static_cast<std::uint64_t>(e));
            out[k](e % 3, e / 3) = 2.0 * parmap::uniform01<double>(w.v[0], w.v[1]) - 1.0 + (e % 4 == 0 ? 3.0 : 0.0);
        }
    }
    return out;
}

}  // namespace eigen_tests
