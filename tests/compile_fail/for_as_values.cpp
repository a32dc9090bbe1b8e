// Must not compile, and the note must be the first error: parallel_for returns nothing, so
// on_error::as_values has no values to give.
#include <parmap/parmap.hpp>

#include <vector>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    auto policy = parmap::threads.errors(parmap::on_error::as_values);
#else
    auto policy = parmap::threads.errors(parmap::on_error::collect);
#endif
    std::vector<int> ys(3);
    parmap::parallel_for(policy, ys.size(), [&](std::size_t i) { ys[i] = static_cast<int>(i); });
    return ys[2] == 2 ? 0 : 1;
}
