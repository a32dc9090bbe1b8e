// DESIGN.md section 1, "What a user writes", as a user would type it: it must compile warning-free
// with the project's warnings and give the results a plain loop gives.
#include <parmap/parmap.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

// A block of 1000 Monte Carlo samples from a stateless hash of (block, sample), so any worker can draw
// any block's numbers and the count does not depend on who ran what.
std::uint64_t count_hits_in_block(std::uint64_t block) {
    auto unit = [](std::uint64_t x) {
        x ^= x >> 33; x *= 0xff51afd7ed558ccdULL; x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL; x ^= x >> 33;
        return static_cast<double>(x >> 11) * 0x1.0p-53;
    };
    std::uint64_t hits = 0;
    for (std::uint64_t s = 0; s < 1000; ++s) {
        double x = unit(2 * (block * 1000 + s)), y = unit(2 * (block * 1000 + s) + 1);
        hits += x * x + y * y < 1.0;
    }
    return hits;
}

int failures = 0;
void check(bool ok, const char* what) {
    if (!ok) {
        std::printf("FAILED: %s\n", what);
        ++failures;
    }
}

} // namespace

int main() {
    std::vector<double> xs{0.5, 1.5, 2.5, 3.5, 4.5};
    auto f = [](double x) { return std::sqrt(x) + 1.0; };

    auto ys = parmap::parallel_map(parmap::threads, xs, [](double x) { return x * x; });
    auto zs = parmap::parallel_map(xs, f);
    std::vector<double> out(xs.size());
    parmap::parallel_map(parmap::openmp.workers(6), xs.begin(), xs.end(), out.begin(), f);
    std::vector<double> tips{1, 2, 3}, miles{4, 5, 6};
    auto q = parmap::parallel_map(parmap::serial, parmap::zip(tips, miles), std::divides<>{});
    std::vector<double> doubled(xs.size());
    parmap::parallel_for(parmap::threads, xs.size(), [&](std::size_t i) { doubled[i] = 2 * xs[i]; });

    const std::uint64_t n_blocks = 2000, n_samples = n_blocks * 1000;
    auto policy = parmap::threads.chunk(parmap::chunks::dynamic(64));
    double pi = 4.0 * static_cast<double>(parmap::parallel_map_reduce(policy, parmap::iota(n_blocks), count_hits_in_block,
                                                                      std::uint64_t{0}, std::plus<>{})) /
                static_cast<double>(n_samples);

    std::uint64_t hits = 0;
    for (std::uint64_t b = 0; b < n_blocks; ++b) hits += count_hits_in_block(b);
    for (std::size_t i = 0; i < xs.size(); ++i) {
        check(ys[i] == xs[i] * xs[i], "parallel_map(threads, xs, square)");
        check(zs[i] == f(xs[i]), "parallel_map(xs, f)");
        check(out[i] == f(xs[i]), "iterator form with openmp.workers(6)");
        check(doubled[i] == 2 * xs[i], "parallel_for");
    }
    for (std::size_t i = 0; i < tips.size(); ++i) check(q[i] == tips[i] / miles[i], "zip starmap");
    check(pi == 4.0 * static_cast<double>(hits) / static_cast<double>(n_samples), "map-reduce pi equals the serial loop");
    check(std::abs(pi - 3.14159265) < 0.01, "pi is near pi");
    std::printf("pi ~ %.6f, %d failures\n", pi, failures);
    return failures == 0 ? 0 : 1;
}
