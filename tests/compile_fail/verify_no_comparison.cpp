// Must not compile, and the note must be the first error: verify compares results bit for bit by default,
// which needs == or a type without padding, and this result has neither, so it needs a comparison.
#include <parmap/parmap.hpp>

#include <vector>

struct sample {
    double value;
    int count;  // padding follows: the bytes of two equal samples may differ
};

int main() {
    std::vector<int> xs{1, 2, 3};
    auto f = [](int x) { return sample{x * 0.5, x}; };
#if defined(PARMAP_EXPECT_ERROR)
    auto report = parmap::verify(xs, f);
#else
    auto report = parmap::verify(xs, f, [](const sample& a, const sample& b) { return a.value == b.value && a.count == b.count; });
#endif
    return report ? 0 : 1;
}
