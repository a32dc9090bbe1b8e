// Must not compile: parmap::thrust keeps results in device memory, so f cannot return a std::string.
#include <parmap/thrust.hpp>

#include <string>
#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
#if defined(PARMAP_EXPECT_ERROR)
    auto ys = parmap::parallel_map(parmap::thrust, xs, [](int x) { return std::to_string(x); });
    return ys[0] == "1" ? 0 : 1;
#else
    auto ys = parmap::parallel_map(parmap::thrust, xs, [](int x) { return x + 1; });
    return ys[0] == 2 ? 0 : 1;
#endif
}
