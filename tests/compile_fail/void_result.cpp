// Must not compile: f returns void, so parallel_map has nothing to collect (parallel_for is the call).
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
    std::vector<int> seen(xs.size());
#if defined(PARMAP_EXPECT_ERROR)
    parmap::parallel_map(parmap::serial, xs, [&](int x) { seen[static_cast<std::size_t>(x - 1)] = x; });
#else
    parmap::parallel_for(parmap::serial, xs.size(), [&](std::size_t i) { seen[i] = xs[i]; });
#endif
    return seen[0] == 1 ? 0 : 1;
}
