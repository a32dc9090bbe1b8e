// Must not compile under nvcc: f runs on the GPU, so a function object without PARMAP_HD (__host__
// __device__) is an error there, named for what to do, instead of nvcc's warning and a failure at run time.
#include <parmap/thrust.hpp>

#include <vector>

#if defined(PARMAP_EXPECT_ERROR)
struct plus_one {
    int operator()(int x) const { return x + 1; }
};
#else
struct plus_one {
    PARMAP_HD int operator()(int x) const { return x + 1; }
};
#endif

int main() {
    std::vector<int> xs{1, 2, 3};
    auto ys = parmap::parallel_map(parmap::thrust, xs, plus_one{});
    return ys[0] == 2 ? 0 : 1;
}
