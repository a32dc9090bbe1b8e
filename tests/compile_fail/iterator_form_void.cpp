// Must not compile, and the note must be the first error: the iterator form with an f that returns void
// (it used to say "void value not ignored as it ought to be").
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
    std::vector<int> ys(xs.size());
#if defined(PARMAP_EXPECT_ERROR)
    parmap::parallel_map(parmap::threads, xs.begin(), xs.end(), ys.begin(), [](int) {});
#else
    parmap::parallel_map(parmap::threads, xs.begin(), xs.end(), ys.begin(), [](int x) { return x; });
#endif
    return ys[0] == 1 ? 0 : 1;
}
