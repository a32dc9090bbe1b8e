// The program of headers.together_*: included after every public header, it maps with each backend the
// build has and checks every result against parmap::serial.
#include <cstdio>
#include <functional>
#include <vector>

namespace {

template <class Policy>
bool same_as_serial(const Policy& policy, const char* name) {
    std::vector<double> xs(10007);
    for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = 0.25 * static_cast<double>(i);
    const auto want = parmap::parallel_map(parmap::serial, xs, [](double x) { return x * x; });
    const auto got = parmap::parallel_map(policy, xs, [](double x) { return x * x; });
    const bool rank_without_results = got.empty() && !want.empty();  // parmap::mpi: results on the root only
    if (got != want && !rank_without_results) std::printf("%s: different results\n", name);
    return got == want || rank_without_results;
}

} // namespace

int main(int argc, char** argv) {
    bool ok = same_as_serial(parmap::threads, "threads") && same_as_serial(parmap::openmp, "openmp");
#if PARMAP_HAS_thrust
    ok = ok && same_as_serial(parmap::thrust, "thrust");
#endif
#if PARMAP_HAS_mpi
    parmap::mpi_session mpi(argc, argv);
    ok = ok && same_as_serial(parmap::mpi(parmap::threads), "mpi");
#if PARMAP_HAS_eigen  // an Eigen input reaches parmap::mpi's reduction through the same front-end as every policy's
    Eigen::MatrixXd m(97, 31);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = 0.125 * static_cast<double>(i % 977);
    const auto square = [](double x) { return x * x; };
    const double want = parmap::parallel_map_reduce(parmap::serial, m, square, 0.0, std::plus<>{});
    const double got = parmap::parallel_map_reduce(parmap::mpi(parmap::threads), m, square, 0.0, std::plus<>{});
    if (got != want) std::printf("mpi: Eigen reduction %.17g, serial %.17g\n", got, want);
    ok = ok && got == want;
#endif
#endif
    (void)argc, (void)argv;
    if (ok) std::puts("every backend in this program gave the serial results");
    return ok ? 0 : 1;
}
