// Must not compile without OpenMP enabled: parmap::openmp is a compile error at the call site,
// never a silent serial loop. The control compiles this same file with OpenMP's flags.
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
    auto ys = parmap::parallel_map(parmap::openmp, xs, [](int x) { return x + 1; });
    return ys[0] == 2 ? 0 : 1;
}
