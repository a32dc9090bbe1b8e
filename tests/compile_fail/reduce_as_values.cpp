// Must not compile, and the note must be the first error: parallel_map_reduce returns one value, so
// on_error::as_values has no per-element values to give.
#include <parmap/parmap.hpp>

#include <functional>
#include <vector>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    auto policy = parmap::threads.errors(parmap::on_error::as_values);
#else
    auto policy = parmap::threads.errors(parmap::on_error::collect);
#endif
    std::vector<double> xs{1, 2, 3};
    double sum = parmap::parallel_map_reduce(policy, xs, [](double x) { return x; }, 0.0, std::plus<>{});
    return sum == 6 ? 0 : 1;
}
