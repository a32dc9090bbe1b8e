// Misuse of parmap::mpi that must not compile, each with the message written for the user: one case per
// value of PARMAP_EXPECT_ERROR. Without it the control compiles, so no case can pass for a wrong reason.
#include <parmap/mpi.hpp>

#include <functional>
#include <string>
#include <vector>

int main() {
    const std::vector<double> xs(4, 1.0);
    const auto policy = parmap::mpi(parmap::serial);
#if PARMAP_EXPECT_ERROR == 1  // elements that cannot travel as bytes
    const std::vector<std::string> words(3, "word");
    parmap::parallel_map(policy, words, [](const std::string& w) { return w.size(); });
#elif PARMAP_EXPECT_ERROR == 2  // results that cannot travel as bytes
    parmap::parallel_map(policy, xs, [](double x) { return std::to_string(x); });
#elif PARMAP_EXPECT_ERROR == 3  // the iterator form
    std::vector<double> out(4);
    parmap::parallel_map(policy, xs.begin(), xs.end(), out.begin(), [](double x) { return x; });
#elif PARMAP_EXPECT_ERROR == 4  // a reduction whose partial results cannot travel as bytes
    auto concatenate = [](std::vector<double> a, const std::vector<double>& b) {
        a.insert(a.end(), b.begin(), b.end());
        return a;
    };
    parmap::parallel_map_reduce(policy, xs, [](double x) { return std::vector<double>{x}; }, std::vector<double>{}, concatenate);
#elif PARMAP_EXPECT_ERROR == 5  // parmap::mpi of something that is not a local policy
    parmap::mpi(42);
#else
    const std::vector<double> ys = parmap::parallel_map(policy, xs, [](double x) { return 2 * x; });
    const double sum = parmap::parallel_map_reduce(policy, xs, [](double x) { return x; }, 0.0, std::plus<>{});
    parmap::parallel_for(policy, xs.size(), [](std::size_t) {});
    return static_cast<int>(ys.size()) + static_cast<int>(sum);
#endif
}
