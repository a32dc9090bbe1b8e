// What one parallel map costs at compile time: scripts/bench compiles this translation unit with
// -DPARMAP_POLICY=serial|threads|openmp and without it (the same map as std::transform, no parmap),
// and reports the times side by side.
#include <algorithm>
#include <cmath>
#include <vector>

#if defined(PARMAP_POLICY)
#include <parmap/parmap.hpp>
#endif

int main() {
    std::vector<double> xs(1000, 2.0);
#if defined(PARMAP_POLICY)
    auto ys = parmap::parallel_map(parmap::PARMAP_POLICY, xs, [](double x) { return std::sqrt(x); });
#else
    std::vector<double> ys(xs.size());
    std::transform(xs.begin(), xs.end(), ys.begin(), [](double x) { return std::sqrt(x); });
#endif
    return ys[0] > 1.0 ? 0 : 1;
}
