// Must not compile, and the note must be the first error: a number is not a range (parmap::iota(n) is).
#include <parmap/parmap.hpp>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    auto ys = parmap::parallel_map(parmap::threads, 5, [](int i) { return i * 2; });
#else
    auto ys = parmap::parallel_map(parmap::threads, parmap::iota(5), [](int i) { return i * 2; });
#endif
    return ys[1] == 2 ? 0 : 1;
}
