// A consumer's whole program, built through each way of getting parmap (add_subdirectory,
// find_package after install, pkg-config). Exit code 0 only when every result is right.
#include <parmap/parmap.hpp>
#if defined(PARMAP_CONSUMER_THRUST)
#include <parmap/thrust.hpp>
#endif

#include <cstdio>
#include <vector>

namespace {

// More elements than the default grain, so the parallel path runs and not only the inline one.
constexpr long element_count = 20000;

bool squares_are_right(const std::vector<long>& ys) {
    if (ys.size() != static_cast<std::size_t>(element_count)) return false;
    for (long i = 0; i < element_count; ++i) {
        if (ys[static_cast<std::size_t>(i)] != i * i) return false;
    }
    return true;
}

} // namespace

int main() {
    std::vector<long> xs(static_cast<std::size_t>(element_count));
    for (long i = 0; i < element_count; ++i) xs[static_cast<std::size_t>(i)] = i;
    auto square = [](long x) { return x * x; };

    bool ok = squares_are_right(parmap::parallel_map(parmap::serial, xs, square));
    ok = squares_are_right(parmap::parallel_map(parmap::threads.workers(2), xs, square)) && ok;
    ok = squares_are_right(parmap::parallel_map(xs, square)) && ok;  // the default policy
#if defined(PARMAP_CONSUMER_THRUST)
    ok = squares_are_right(parmap::parallel_map(parmap::openmp.workers(2), xs, square)) && ok;
    ok = squares_are_right(parmap::parallel_map(parmap::thrust.workers(2), xs, square)) && ok;
    const char* backends = "serial, threads, default, openmp, thrust";
#elif defined(PARMAP_CONSUMER_OPENMP)
    ok = squares_are_right(parmap::parallel_map(parmap::openmp.workers(2), xs, square)) && ok;
    const char* backends = "serial, threads, default, openmp";
#else
    const char* backends = "serial, threads, default";
#endif
    std::printf("parmap consumer (%s): %s\n", backends, ok ? "ok" : "WRONG RESULTS");
    return ok ? 0 : 1;
}
