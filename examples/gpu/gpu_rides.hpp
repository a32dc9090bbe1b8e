// parmap-gpu's data and kernels: synthetic taxi rides and small matrices, each a fixed function of
// (seed, index) through parmap::philox4x32, and the functions the program maps over them. The functions
// are PARMAP_HD so that the same code runs on every CPU backend and, compiled by nvcc, on the GPU.
#pragma once

#include <parmap/device.hpp>
#include <parmap/parmap.hpp>
#include <parmap/random.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace parmap_gpu {

/// The shortest of `repeats` runs of step(), in seconds (wall clock).
template <class Step>
double best_seconds(std::size_t repeats, Step&& step) {
    double best = 0;
    for (std::size_t r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        step();
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        best = r == 0 ? s : std::min(best, s);
    }
    return best;
}

/// The rides: tip in dollars (whole cents) and length in miles, in (0.1, 30], so never zero.
struct rides {
    std::vector<float> tips;
    std::vector<float> miles;
};

/// One ride, ride i of `seed`: w = philox4x32(seed)(i); miles = 0.1 + 29.9 * (1 - u0), never 0.1 or
/// less; the fare is $2.50 plus $2.50 a mile; 30% of riders (u1 < 0.3) pay cash and tip nothing, the
/// others tip 10% to 30% (u2) of the fare, rounded to cents.
struct ride {
    float tip;
    float miles;
};

inline ride make_ride(std::uint64_t seed, std::uint64_t i) {
    const parmap::philox4x32::counter_type w = parmap::philox4x32(seed)(i);
    const float miles = 0.1f + 29.9f * (1.0f - parmap::uniform01<float>(w.v[0]));
    const float fare = 2.5f + 2.5f * miles;
    const bool cash = parmap::uniform01<float>(w.v[1]) < 0.3f;
    const float share = 0.1f + 0.2f * parmap::uniform01<float>(w.v[2]);
    return {cash ? 0.0f : std::round(fare * share * 100.0f) / 100.0f, miles};
}

/// n rides of `seed`, made on parmap::threads (the same rides whatever the worker count).
inline rides make_rides(std::uint64_t seed, std::size_t n) {
    const std::vector<ride> all =
        parmap::parallel_map(parmap::threads, parmap::iota(n), [seed](std::size_t i) { return make_ride(seed, i); });
    rides r;
    r.tips.reserve(n);
    r.miles.reserve(n);
    for (const ride& one : all) {
        r.tips.push_back(one.tip);
        r.miles.push_back(one.miles);
    }
    return r;
}

/// Tip per mile: the map every backend runs over parmap::zip(tips, miles). One correctly rounded
/// division, so every backend and the GPU give the same bits.
struct tip_per_mile {
    PARMAP_HD float operator()(float tip, float miles) const { return tip / miles; }
};

/// The same as a double, the term of the mean: parallel_map_reduce sums these with std::plus<>.
struct tip_per_mile_term {
    PARMAP_HD double operator()(float tip, float miles) const { return static_cast<double>(tip / miles); }
};

/// A 3x3 matrix of doubles, row by row: trivially copyable, so it travels to a device as bytes.
struct matrix3 {
    double a[9];
};

/// Matrix i of `seed`: three Philox calls (streams 1 to 3) give nine entries k / 256, k in [-256, 256).
/// Every product of three entries is a multiple of 2^-24 below 1 and the determinant's six terms sum
/// below 8, all exact in a double: no rounding, so no FMA contraction (the GPU's) can change a bit.
inline matrix3 make_matrix(std::uint64_t seed, std::uint64_t i) {
    const parmap::philox4x32 rng(seed);
    matrix3 m{};
    for (int e = 0; e < 9; ++e) {
        const parmap::philox4x32::counter_type w = rng(i, static_cast<std::uint64_t>(1 + e / 4));
        const int k = static_cast<int>(w.v[e % 4] >> 23) - 256;
        m.a[e] = static_cast<double>(k) / 256.0;
    }
    return m;
}

/// The determinant by the rule of Sarrus (exact here, see make_matrix).
struct determinant {
    PARMAP_HD double operator()(const matrix3& m) const {
        const double* a = m.a;
        return a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }
};

/// Tip per mile in 10 bins of $0.25 from $0; the last one also holds everything above $2.50.
struct histogram {
    static constexpr int bins = 10;
    static constexpr double width = 0.25;
    std::uint64_t counts[bins] = {};

    explicit histogram(const std::vector<float>& values) {
        for (float v : values) {
            const int bin = static_cast<int>(static_cast<double>(v) / width);
            ++counts[bin < bins ? bin : bins - 1];
        }
    }
};

} // namespace parmap_gpu
