// Must not compile, and the note must be the first error: op takes two strings, f returns doubles.
#include <parmap/parmap.hpp>

#include <string>
#include <vector>

int main() {
    std::vector<double> xs{1, 2, 3};
#if defined(PARMAP_EXPECT_ERROR)
    auto op = [](const std::string& a, const std::string& b) { return a + b; };
#else
    auto op = [](double a, double b) { return a + b; };
#endif
    double sum = parmap::parallel_map_reduce(parmap::threads, xs, [](double x) { return x; }, 0.0, op);
    return sum == 6 ? 0 : 1;
}
