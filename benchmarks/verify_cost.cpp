// parmap-verify-cost: what parmap::verify costs beyond running its configurations. For each workload it
// times (a) verify as a whole, (b) the sum of its configurations' own times as the report gives them, and
// (c) the same configurations called directly with parallel_map / parallel_map_reduce, no verify around them,
// in one run, best of --repeats. The bound: (a) <= 1.1 x (b).
//
//   build/benchmarks/parmap-verify-cost [--elements N] [--repeats R]
#include <parmap/parmap.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct costs {
    double verify = 1e300, configurations = 1e300, direct = 1e300;
};

/// The sum of `call(policy)`'s times over the configurations verify runs (the reference included).
template <class Call>
double direct_sum(Call&& call) {
    double sum = 0;
    parmap::configurations::for_each([&](const auto& policy) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(policy)>, parmap::configurations::skipped>) {
            const auto start = std::chrono::steady_clock::now();
            call(policy);
            sum += seconds_since(start);
        }
    });
    return sum;
}

template <class Verify, class Call>
costs measure(std::size_t repeats, Verify&& verify, Call&& call) {
    costs best;
    for (std::size_t r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const parmap::verify_report report = verify();
        const double total = seconds_since(start);
        if (!report) {
            std::fprintf(stderr, "parmap-verify-cost: the workload itself differs between configurations\n");
            std::exit(1);
        }
        best.verify = std::min(best.verify, total);
        best.configurations = std::min(best.configurations, report.configuration_seconds());
        best.direct = std::min(best.direct, direct_sum(call));
    }
    return best;
}

void print(const char* name, const costs& c) {
    std::printf("%-34s verify %8.4f s  its configurations %8.4f s  direct calls %8.4f s  verify/configurations %.3f  "
                "verify/direct %.3f\n",
                name, c.verify, c.configurations, c.direct, c.verify / c.configurations, c.verify / c.direct);
}

} // namespace

int main(int argc, char** argv) {
    std::size_t n = 1000000, repeats = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        char* end = nullptr;
        const unsigned long long value = std::strtoull(argv[i + 1], &end, 10);
        if (*end != '\0' || value == 0 || (std::strcmp(argv[i], "--elements") != 0 && std::strcmp(argv[i], "--repeats") != 0)) {
            std::fprintf(stderr, "parmap-verify-cost: usage: parmap-verify-cost [--elements N] [--repeats R] (N, R >= 1)\n");
            return 2;
        }
        (std::strcmp(argv[i], "--elements") == 0 ? n : repeats) = static_cast<std::size_t>(value);
    }
    if (argc % 2 == 0) {
        std::fprintf(stderr, "parmap-verify-cost: usage: parmap-verify-cost [--elements N] [--repeats R] (N, R >= 1)\n");
        return 2;
    }
    std::vector<double> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = 1e-6 * static_cast<double>(i);
    auto damped = [](double x) { return std::sin(x) * std::exp(-x); };
    auto square = [](double x) { return x * x; };
    std::printf("parmap-verify-cost: %zu doubles, best of %zu\n", n, repeats);
    print("map sin(x)*exp(-x)", measure(repeats, [&] { return parmap::verify(xs, damped); },
                                        [&](const auto& p) { return parmap::parallel_map(p, xs, damped); }));
    print("map x*x (memory-bound)", measure(repeats, [&] { return parmap::verify(xs, square); },
                                            [&](const auto& p) { return parmap::parallel_map(p, xs, square); }));
    print("map x*x, compare::ulps(4)", measure(repeats, [&] { return parmap::verify(xs, square, parmap::compare::ulps(4)); },
                                               [&](const auto& p) { return parmap::parallel_map(p, xs, square); }));
    print("map_reduce sin(x)*exp(-x), plus", measure(repeats, [&] { return parmap::verify_reduce(xs, damped, 0.0, std::plus<>{}); },
                                                     [&](const auto& p) { return parmap::parallel_map_reduce(p, xs, damped, 0.0, std::plus<>{}); }));
    return 0;
}
