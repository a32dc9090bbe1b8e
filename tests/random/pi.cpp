// parmap-pi's kernel (examples/pi/pi_kernel.hpp): its hit count against a plain loop written from the README's
// stream layout, the same count on every backend, worker count, chunking, block size and vector loop, and
// a statistical sanity check.
#include "pi_kernel.hpp"

#include <parmap/parmap.hpp>
#include <parmap/random.hpp>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace {

// The README's definition, as a reader would write it in another language: one Philox call per two
// samples, floats from uniform01, and the hit test in double (where it is exact).
std::uint64_t reference_hits(std::uint64_t seed, std::uint64_t first, std::uint64_t count) {
    const parmap::philox4x32 rng(seed);
    std::uint64_t hits = 0;
    for (std::uint64_t i = first; i < first + count; ++i) {
        const parmap::philox4x32::counter_type w = rng(i / 2);
        const std::size_t k = 2 * (i % 2);
        const double x = parmap::uniform01<float>(w.v[k]), y = parmap::uniform01<float>(w.v[k + 1]);
        hits += x * x + y * y < 1.0 ? 1 : 0;
    }
    return hits;
}

const std::uint64_t seeds[] = {0, 42, 0x9e3779b97f4a7c15ull};

std::string describe(parmap::chunks::chunking c) {
    const char* names[] = {"automatic", "static_", "dynamic", "guided"};
    return std::string(names[static_cast<int>(c.how)]) + "(" + std::to_string(c.size) + ")";
}

std::vector<parmap::chunks::chunking> chunkings() {
    namespace c = parmap::chunks;
    return {c::automatic(1), c::static_(0), c::static_(3), c::dynamic(5), c::guided(3)};
}

/// Calls fn(name, policy) for every backend with `workers` workers and chunking `c`.
template <class Fn>
void for_each_policy(std::size_t workers, parmap::chunks::chunking c, Fn&& fn) {
    fn("serial", parmap::serial);
    fn("threads", parmap::threads.workers(workers).chunk(c));
    fn("openmp", parmap::openmp.workers(workers).chunk(c));
}

} // namespace

TEST_CASE("the hit count follows the README's stream layout", "[random][pi]") {
    for (std::uint64_t seed : seeds) {
        // Odd and even first samples and counts, and a range whose calls cross the counter's 2^32 boundary.
        const std::pair<std::uint64_t, std::uint64_t> ranges[] = {
            {0, 1}, {0, 2}, {1, 1}, {0, 100001}, {7, 9998}, {12345, 54321}, {(std::uint64_t{1} << 33) - 1001, 2003}};
        for (const auto& [first, count] : ranges) {
            const std::uint64_t expected = reference_hits(seed, first, count);
            for (const parmap_pi::kernel& k : parmap_pi::supported_kernels()) {
                INFO("seed " << seed << " samples [" << first << ", " << first + count << ") loop " << k.name);
                CHECK(parmap_pi::count_hits(seed, first, count, k) == expected);
            }
        }
    }
}

TEST_CASE("the hit test is exact near the circle", "[random][pi]") {
    // Points just inside and just outside x^2 + y^2 = 1 on the 2^-24 grid, against the test in double.
    const parmap::philox4x32 rng(3);
    for (std::uint64_t i = 0; i < 20000; ++i) {
        const std::uint64_t a = rng(i).v[0] >> 8;
        const auto b0 = static_cast<std::uint64_t>(std::sqrt(static_cast<double>((std::uint64_t{1} << 48) - a * a)));
        for (std::uint64_t b = b0 > 0 ? b0 - 1 : 0; b <= b0 + 1 && b < (std::uint64_t{1} << 24); ++b) {
            const double x = static_cast<double>(a) * 0x1p-24, y = static_cast<double>(b) * 0x1p-24;
            const std::uint32_t expected = x * x + y * y < 1.0 ? 1 : 0;
            REQUIRE(parmap_pi::inside(static_cast<std::uint32_t>(a << 8 | 0xff), static_cast<std::uint32_t>(b << 8)) == expected);
        }
    }
}

TEST_CASE("the pi estimate is the same bits on every backend, worker count and chunking", "[random][pi]") {
    // Sample counts that are multiples of no block (2^16) and no chunk size; 5000011 makes 77 blocks.
    const std::uint64_t sample_counts[] = {1, 65537, 5000011};
    for (std::uint64_t seed : seeds) {
        for (std::uint64_t samples : sample_counts) {
            const std::uint64_t expected = samples <= 65537 ? reference_hits(seed, 0, samples)
                                                            : parmap_pi::count_hits(seed, 0, samples, parmap_pi::supported_kernels().front());
            for (std::size_t workers : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
                for (parmap::chunks::chunking c : chunkings()) {
                    for_each_policy(workers, c, [&](const char* name, const auto& policy) {
                        const std::uint64_t hits = parmap_pi::count_hits(policy, seed, samples);
                        INFO(name << " workers=" << workers << " chunking=" << describe(c) << " seed=" << seed
                                  << " samples=" << samples);
                        CHECK(hits == expected);
                        CHECK(parmap_pi::estimate(hits, samples) == parmap_pi::estimate(expected, samples));
                    });
                }
            }
        }
    }
}

TEST_CASE("any block size gives the same count", "[random][pi]") {
    // Blocks of 997 samples (odd, so half of them start on the second point of a Philox call) over
    // 200003 samples: 201 blocks, parallel on every backend.
    const std::uint64_t samples = 200003, block = 997, blocks = samples / block + 1;
    const std::uint64_t seed = 2026;
    const std::uint64_t expected = reference_hits(seed, 0, samples);
    for (std::size_t workers : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{8}}) {
        for_each_policy(workers, parmap::chunks::dynamic(2), [&](const char* name, const auto& policy) {
            const std::uint64_t hits = parmap::parallel_map_reduce(
                policy, parmap::iota(blocks),
                [&](std::uint64_t b) { return parmap_pi::count_hits(seed, b * block, std::min(block, samples - b * block)); },
                std::uint64_t{0}, std::plus<>{});
            INFO(name << " workers=" << workers);
            CHECK(hits == expected);
        });
    }
}

TEST_CASE("the estimate from 1e7 samples is within 5 standard errors of pi", "[random][pi][statistics]") {
    const std::uint64_t samples = 10'000'000;
    const double p = 3.141592653589793 / 4;
    const double standard_error = 4.0 * std::sqrt(p * (1 - p) / static_cast<double>(samples));  // about 5.2e-4
    for (std::uint64_t seed : {1ull, 2ull, 3ull}) {
        const double estimate = parmap_pi::estimate(parmap_pi::count_hits(parmap::threads.chunk(parmap::chunks::automatic(1)), seed, samples),
                                                    samples);
        INFO("seed " << seed << " estimate " << estimate);
        CHECK(std::fabs(estimate - 3.141592653589793) < 5 * standard_error);
    }
}

TEST_CASE("sample_point gives the points the hit count counts", "[random][pi]") {
    std::uint64_t hits = 0;
    for (std::uint64_t i = 0; i < 1001; ++i) {
        const auto [x, y] = parmap_pi::sample_point(11, i);
        REQUIRE((x >= 0.0f && x < 1.0f && y >= 0.0f && y < 1.0f));
        hits += static_cast<double>(x) * x + static_cast<double>(y) * y < 1.0 ? 1 : 0;
    }
    CHECK(hits == parmap_pi::count_hits(11, 0, 1001));
}
