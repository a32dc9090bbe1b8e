// Must not compile, and the note must be the first error: f takes int& but the input is const.
#include <parmap/parmap.hpp>

#include <vector>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    const std::vector<int> xs{1, 2, 3};
#else
    std::vector<int> xs{1, 2, 3};
#endif
    auto ys = parmap::parallel_map(parmap::threads, xs, [](int& x) { return ++x; });
    return ys[0] == 2 ? 0 : 1;
}
