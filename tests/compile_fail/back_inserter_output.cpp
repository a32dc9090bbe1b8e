// Must not compile: the iterator form writes its output from several threads, so `out` must be a
// forward iterator; std::back_inserter is output-only.
#include <parmap/parmap.hpp>

#include <iterator>
#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
#if defined(PARMAP_EXPECT_ERROR)
    std::vector<int> ys;
    parmap::parallel_map(parmap::serial, xs.begin(), xs.end(), std::back_inserter(ys), [](int x) { return x + 1; });
#else
    std::vector<int> ys(xs.size());
    parmap::parallel_map(parmap::serial, xs.begin(), xs.end(), ys.begin(), [](int x) { return x + 1; });
#endif
    return ys[0] == 2 ? 0 : 1;
}
