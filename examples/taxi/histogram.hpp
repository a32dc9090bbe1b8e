// numpy.histogram's rule for given edges, so that parmap-taxi's counts equal numpy's on the same values:
// bin k holds edges[k] <= x < edges[k + 1], the last bin also holds x == edges.back(), values outside (and
// NaN) are ignored. The edges are computed as numpy computes them: linspace(a, b, n) is a + i * ((b - a) /
// (n - 1)) with the last edge set to b exactly; logspace edges are 10 ** linspace (glibc's pow is correctly
// rounded, as numpy's is on the same machine).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

namespace taxi {

inline constexpr std::size_t tip_bins = 200;       ///< tip / fare: 200 equal bins on [0.01, 2]
inline constexpr std::size_t distance_bins = 49;   ///< miles: edges 10 ** linspace(-1, 2, 50)

/// numpy.linspace(first, last, N): N edges, the last one exactly `last`.
template <std::size_t N>
std::array<double, N> linspace(double first, double last) {
    std::array<double, N> edges{};
    const double step = (last - first) / static_cast<double>(N - 1);
    for (std::size_t i = 0; i < N; ++i) {
        const double scaled = static_cast<double>(i) * step;  // two roundings, as numpy does them
        edges[i] = scaled + first;
    }
    edges[N - 1] = last;
    return edges;
}

inline const std::array<double, tip_bins + 1>& tip_edges() {
    static const std::array<double, tip_bins + 1> edges = linspace<tip_bins + 1>(0.01, 2.0);
    return edges;
}

inline const std::array<double, distance_bins + 1>& distance_edges() {
    static const std::array<double, distance_bins + 1> edges = [] {
        std::array<double, distance_bins + 1> e = linspace<distance_bins + 1>(-1.0, 2.0);
        for (double& x : e) x = std::pow(10.0, x);
        return e;
    }();
    return edges;
}

/// The bin of x among `edges` by numpy's rule, or N - 1 (no bin) when x is outside or NaN. `guess` is a
/// bin estimate; the answer is settled by comparing with the edges themselves.
template <std::size_t N>
std::size_t bin_of(const std::array<double, N>& edges, double x, std::size_t guess) {
    constexpr std::size_t bins = N - 1;
    if (!(x >= edges[0] && x <= edges[bins])) return bins;
    std::size_t k = guess < bins ? guess : bins - 1;
    while (k > 0 && x < edges[k]) --k;
    while (k + 1 < bins && x >= edges[k + 1]) ++k;
    return k;
}

inline std::size_t tip_bin(double ratio) {
    const double estimate = (ratio - 0.01) * (static_cast<double>(tip_bins) / (2.0 - 0.01));
    const std::size_t guess = estimate > 0 && estimate < 1e6 ? static_cast<std::size_t>(estimate) : 0;
    return bin_of(tip_edges(), ratio, guess);
}

inline std::size_t distance_bin(double miles) {
    const auto& edges = distance_edges();
    const auto above = std::upper_bound(edges.begin(), edges.end(), miles);  // first edge > miles: 6 compares
    const std::size_t guess = above == edges.begin() ? 0 : static_cast<std::size_t>(above - edges.begin()) - 1;
    return bin_of(edges, miles, guess);
}

} // namespace taxi
