// Must not compile, and the note must be the first error: raw pointers (a C code's columns) have no
// length; parmap::span(pointer, count) gives them one.
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    std::vector<double> a{1, 2, 3}, b{4, 5, 6};
    double* x = a.data();
    double* y = b.data();
#if defined(PARMAP_EXPECT_ERROR)
    auto sums = parmap::parallel_map(parmap::threads, parmap::zip(x, y), [](double p, double q) { return p + q; });
#else
    auto sums = parmap::parallel_map(parmap::threads, parmap::zip(parmap::span(x, 3), parmap::span(y, 3)),
                                     [](double p, double q) { return p + q; });
#endif
    return sums[0] == 5 ? 0 : 1;
}
