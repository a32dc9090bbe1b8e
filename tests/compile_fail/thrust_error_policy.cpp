// Must not compile: device code cannot throw, so parmap::thrust takes no error policy but fail_fast.
#include <parmap/thrust.hpp>

#include <vector>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    auto policy = parmap::thrust.errors(parmap::on_error::collect);
#else
    auto policy = parmap::thrust.errors(parmap::on_error::fail_fast);
#endif
    std::vector<int> xs{1, 2, 3};
    auto ys = parmap::parallel_map(policy, xs, [](int x) { return x + 1; });
    return ys[0] == 2 ? 0 : 1;
}
