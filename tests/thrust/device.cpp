// parmap::thrust's own contract, beyond the conformance suite: device_vector inputs stay on the device,
// the iterator form reads and writes device memory in place, the standard function objects work as f
// and op, .workers(n), .on(stream), and the reduction and a seeded Monte Carlo count give the CPU
// backends' bits.
// Written once for both builds: compiled as C++ it runs on Thrust's OpenMP system (every CI run);
// compiled as CUDA (device.cu) it runs on the GPU, or skips where there is none.
#include <parmap/parmap.hpp>
#include <parmap/random.hpp>
#include <parmap/thrust.hpp>

#include <catch2/catch.hpp>
#include <thrust/sequence.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <vector>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
#include <omp.h>
#endif

namespace {

struct square {
    PARMAP_HD float operator()(float x) const { return x * x; }
};

struct affine {
    PARMAP_HD double operator()(std::size_t i) const { return static_cast<double>(i) * 0.5 - 3.0; }
};

/// Terms whose sum depends on the order of the additions: large oscillating ones and small ones.
struct wobble {
    PARMAP_HD double operator()(std::size_t i) const {
        const double sign = (i % 3 == 0) ? -1.0 : 1.0;
        return sign * static_cast<double>(i % 1013) * 1e3 + 1.0 / static_cast<double>(i + 1);
    }
};

/// Hits of Monte Carlo pi among samples [b * block, min(n, (b + 1) * block)) of `seed`, in the stream
/// layout of parmap-pi (examples/pi/pi_kernel.hpp): sample i takes words 0-1 (even i) or 2-3 (odd i) of call i / 2.
struct pi_block_hits {
    std::uint64_t seed, n, block;
    PARMAP_HD std::uint64_t operator()(std::uint64_t b) const {
        const parmap::philox4x32 rng(seed);
        std::uint64_t hits = 0;
        const std::uint64_t last = n - b * block < block ? n : (b + 1) * block;
        for (std::uint64_t i = b * block; i < last; ++i) {
            const auto w = rng(i / 2);
            const std::uint64_t x = w.v[i % 2 * 2] >> 8, y = w.v[i % 2 * 2 + 1] >> 8;
            hits += (x * x + y * y) >> 48 == 0 ? 1 : 0;
        }
        return hits;
    }
};

std::uint64_t bits_of(double d) {
    std::uint64_t u = 0;
    std::memcpy(&u, &d, sizeof u);
    return u;
}

template <class T>
std::vector<T> to_std(const thrust::device_vector<T>& d) {
    std::vector<T> h(d.size());
    if (!h.empty()) thrust::copy(d.begin(), d.end(), h.begin());  // (Thrust dereferences begin(), even when empty)
    return h;
}

}  // namespace

static_assert(parmap::is_device_copyable_v<float> && parmap::is_device_copyable_v<pi_block_hits>);
static_assert(!parmap::is_device_copyable_v<std::vector<int>>);
static_assert(std::is_same_v<parmap::detail::device_function_t<std::plus<>>, parmap::detail::device_plus<void>>);
static_assert(std::is_same_v<parmap::detail::device_function_t<square>, square>);

TEST_CASE("a device_vector input gives a device_vector result, element for element", "[thrust][device]") {
    const std::size_t n = GENERATE(as<std::size_t>{}, 0, 1, 1000, 100003);
    INFO("n=" << n);
    thrust::device_vector<float> d(n);
    thrust::sequence(d.begin(), d.end(), -5.0f, 0.25f);
    auto got = parmap::parallel_map(parmap::thrust, d, square{});
    static_assert(std::is_same_v<decltype(got), thrust::device_vector<float>>);
    const std::vector<float> in = to_std(d), out = to_std(got);
    REQUIRE(out.size() == n);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += out[i] != in[i] * in[i];
    CHECK(wrong == 0);
}

TEST_CASE(".on(stream) runs the call on that CUDA stream, .on(nullptr) on the default one", "[thrust][stream]") {
#if PARMAP_THRUST_CUDA
    cudaStream_t stream = nullptr;
    REQUIRE(cudaStreamCreate(&stream) == cudaSuccess);
#else
    CUstream_st* stream = nullptr;  // the CPU systems have no streams: the option is carried and not used
#endif
    thrust::device_vector<float> d(1000);
    thrust::sequence(d.begin(), d.end(), -5.0f, 0.25f);
    const std::vector<float> on_stream = to_std(parmap::parallel_map(parmap::thrust.on(stream).workers(2), d, square{}));
    const std::vector<float> on_default = to_std(parmap::parallel_map(parmap::thrust.on(nullptr), d, square{}));
#if PARMAP_THRUST_CUDA
    cudaStreamDestroy(stream);
#endif
    const std::vector<float> want = parmap::parallel_map(parmap::serial, to_std(d), square{});
    CHECK(on_stream == want);
    CHECK(on_default == want);
}

TEST_CASE("a zip with a device_vector stays on the device and host zips come back as std::vector", "[thrust][zip]") {
    const std::size_t n = 4099;
    std::vector<float> tips(n), miles(n);
    for (std::size_t i = 0; i < n; ++i) {
        tips[i] = static_cast<float>(i % 17) + 0.5f;
        miles[i] = static_cast<float>(i % 29) + 1.0f;
    }
    thrust::device_vector<float> d_tips(tips.begin(), tips.end());
    auto on_device = parmap::parallel_map(parmap::thrust, parmap::zip(d_tips, miles), std::divides<>{});
    static_assert(std::is_same_v<decltype(on_device), thrust::device_vector<float>>);
    auto on_host = parmap::parallel_map(parmap::thrust, parmap::zip(tips, miles), std::divides<>{});
    static_assert(std::is_same_v<decltype(on_host), std::vector<float>>);
    const std::vector<float> from_device = to_std(on_device);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += from_device[i] != tips[i] / miles[i] || on_host[i] != tips[i] / miles[i];
    CHECK(wrong == 0);
}

TEST_CASE("the iterator form reads and writes device memory in place", "[thrust][iterator]") {
    const std::size_t n = 30011;
    thrust::device_vector<float> in(n), out(n + 1, -1.0f);
    thrust::sequence(in.begin(), in.end(), 1.0f);
    auto end = parmap::parallel_map(parmap::thrust, in.begin(), in.end(), out.begin(), square{});
    CHECK(end == out.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<float> h = to_std(out);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += h[i] != static_cast<float>(i + 1) * static_cast<float>(i + 1);
    CHECK(wrong == 0);
    CHECK(h[n] == -1.0f);  // nothing written past the end

    SECTION("device in, host out") {
        std::vector<float> host(n);
        parmap::parallel_map(parmap::thrust, in.begin(), in.end(), host.begin(), square{});
        CHECK(host == std::vector<float>(h.begin(), h.end() - 1));
    }
    SECTION("host in, device out") {
        std::vector<float> host(n);
        for (std::size_t i = 0; i < n; ++i) host[i] = static_cast<float>(i + 1);
        thrust::device_vector<float> dst(n);
        parmap::parallel_map(parmap::thrust, host.begin(), host.end(), dst.begin(), square{});
        CHECK(to_std(dst) == std::vector<float>(h.begin(), h.end() - 1));
    }
}

TEST_CASE("parallel_for writes device memory through a raw pointer", "[thrust][for]") {
    const std::size_t n = 65537;
    thrust::device_vector<std::uint32_t> d(n, 0);
    std::uint32_t* p = thrust::raw_pointer_cast(d.data());
    parmap::parallel_for(parmap::thrust, n, [p] PARMAP_HD(std::size_t i) { p[i] = static_cast<std::uint32_t>(i * 3 + 1); });
    const std::vector<std::uint32_t> h = to_std(d);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += h[i] != static_cast<std::uint32_t>(i * 3 + 1);
    CHECK(wrong == 0);
}

TEST_CASE("parallel_map_reduce gives parmap::serial's bits for order-sensitive sums", "[thrust][reduce][bits]") {
    const std::size_t n = GENERATE(as<std::size_t>{}, 1, 15, 16, 17, 1023, 1025, 65536, 1000003);
    INFO("n=" << n);
    const double want = parmap::parallel_map_reduce(parmap::serial, parmap::iota(n), wobble{}, 0.25, std::plus<>{});
    const double got = parmap::parallel_map_reduce(parmap::thrust, parmap::iota(n), wobble{}, 0.25, std::plus<>{});
    CHECK(bits_of(got) == bits_of(want));

    SECTION("from a device_vector of floats summed as double") {
        std::vector<float> h(n);
        for (std::size_t i = 0; i < n; ++i) h[i] = static_cast<float>(wobble{}(i));
        thrust::device_vector<float> d(h.begin(), h.end());
        auto widen = [] PARMAP_HD(float x) { return static_cast<double>(x); };
        const double host_sum = parmap::parallel_map_reduce(parmap::serial, h, widen, 0.0, std::plus<>{});
        const double device_sum = parmap::parallel_map_reduce(parmap::thrust, d, widen, 0.0, std::plus<>{});
        CHECK(bits_of(device_sum) == bits_of(host_sum));
    }
}

TEST_CASE("standard function objects work as op: multiplies, bit_xor, logical_and", "[thrust][reduce][functional]") {
    const std::size_t n = 5003;
    auto odd = [] PARMAP_HD(std::size_t i) { return static_cast<std::uint64_t>(2 * i + 1); };
    std::uint64_t product = 7, x = 0;
    for (std::size_t i = 0; i < n; ++i) {
        product *= odd(i);
        x ^= odd(i);
    }
    CHECK(parmap::parallel_map_reduce(parmap::thrust, parmap::iota(n), odd, std::uint64_t{7}, std::multiplies<>{}) == product);
    CHECK(parmap::parallel_map_reduce(parmap::thrust, parmap::iota(n), odd, std::uint64_t{0}, std::bit_xor<std::uint64_t>{}) == x);
    auto positive = [] PARMAP_HD(std::size_t i) { return i + 1 > 0; };
    CHECK(parmap::parallel_map_reduce(parmap::thrust, parmap::iota(n), positive, true, std::logical_and<>{}));
}

TEST_CASE("a seeded Monte Carlo pi counts the same hits as the CPU backends", "[thrust][pi]") {
    const std::uint64_t seed = GENERATE(as<std::uint64_t>{}, 1, 42, 0x123456789abcdefULL);
    const std::uint64_t n = 3000017, block = 1 << 14;
    INFO("seed=" << seed);
    const pi_block_hits hits{seed, n, block};
    const auto blocks = parmap::iota((n + block - 1) / block);
    const std::uint64_t want = parmap::parallel_map_reduce(parmap::serial, blocks, hits, std::uint64_t{0}, std::plus<>{});
    CHECK(parmap::parallel_map_reduce(parmap::thrust, blocks, hits, std::uint64_t{0}, std::plus<>{}) == want);
    const double estimate = 4.0 * static_cast<double>(want) / static_cast<double>(n);
    CHECK(std::abs(estimate - 3.14159265358979) < 5 * std::sqrt(3.1416 * (4 - 3.1416) / static_cast<double>(n)));
}

TEST_CASE("an affine map of an iota matches a plain loop (no input copied)", "[thrust][iota]") {
    const std::size_t n = 12345;
    auto got = parmap::parallel_map(parmap::thrust, parmap::iota(n), affine{});
    std::size_t wrong = got.size() != n;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != static_cast<double>(i) * 0.5 - 3.0;
    CHECK(wrong == 0);
}

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
TEST_CASE(".workers(n) sets the OpenMP team of the CPU device system, for that call only", "[thrust][workers]") {
    const int before = omp_get_max_threads();
    const std::size_t workers = GENERATE(as<std::size_t>{}, 1, 2, 3);
    std::vector<int> team(20000, 0);
    parmap::parallel_for(parmap::thrust.workers(workers), team.size(), [&](std::size_t i) { team[i] = omp_get_num_threads(); });
    std::size_t wrong = 0;
    for (int t : team) wrong += t != static_cast<int>(workers);
    CHECK(wrong == 0);
    CHECK(omp_get_max_threads() == before);
}
#endif

TEST_CASE("the iterator form spreads a thrust::zip_iterator's tuple into f's arguments", "[thrust][iterator][zip]") {
    const std::size_t n = 1001;
    thrust::device_vector<float> a(n), b(n), out(n);
    thrust::sequence(a.begin(), a.end(), 1.0f);
    thrust::sequence(b.begin(), b.end(), 2.0f, 2.0f);
    auto first = thrust::make_zip_iterator(a.begin(), b.begin());
    parmap::parallel_map(parmap::thrust, first, first + static_cast<std::ptrdiff_t>(n), out.begin(), std::divides<>{});
    const std::vector<float> h = to_std(out);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < n; ++i) wrong += h[i] != static_cast<float>(i + 1) / static_cast<float>(2 * i + 2);
    CHECK(wrong == 0);
}

TEST_CASE("parmap::verify runs parmap::thrust beside the CPU backends, f unwrapped on the GPU", "[thrust][verify]") {
    const std::size_t n = 5003;
    std::vector<float> xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<float>(i % 101) - 50.0f;
    const parmap::verify_report map = parmap::verify(xs, square{});  // one rounding: the same bits everywhere
    INFO(map);
    CHECK(map.ok());
    std::size_t thrust_lines = 0;
    for (const auto& c : map.configurations()) thrust_lines += c.policy.rfind("parmap::thrust", 0) == 0 && !c.skipped;
#if PARMAP_THRUST_CUDA
    CHECK(thrust_lines == 1);
#elif THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
    CHECK(thrust_lines == 4);  // workers 1, 2, 3, 8
#endif
    const parmap::verify_report sum = parmap::verify_reduce(parmap::iota(n), wobble{}, 0.0, std::plus<>{});
    INFO(sum);
    CHECK(sum.ok());
}
