// thrust: parmap::thrust against the raw Thrust call a competent Thrust user writes for the same loop, so
// that each figure shows parmap's own cost on top of Thrust's. Compiled by g++ (in parmap-bench) it runs on
// Thrust's OpenMP device system; compiled by nvcc (a copy, thrust.cu, in parmap-bench-cuda) on the GPU, where
// the implementations' names end in _gpu and only a machine with a CUDA device registers them.
//   map_square/parmap_thrust/<size>       parallel_map's iterator form over device memory, written in place
//                                         (on the OpenMP system, device memory is host memory)
//   map_square/parmap_thrust_host/<size>  the same call with a std::vector's own iterators: on a GPU copied
//                                         to device memory and back (the price of data that lives on the
//                                         host); on the OpenMP system read and written in place
//   map_square/thrust_raw/<size>          thrust::transform(thrust::device, x, x + n, y, square)
//   map_reduce_sum/parmap_thrust/1e7      parallel_map_reduce over parmap::iota(n), reading x in device memory
//   map_reduce_sum/parmap_thrust_host/1e7 parallel_map_reduce over a host vector (copied to a GPU)
//   map_reduce_sum/thrust_raw/1e7         thrust::reduce(thrust::device, x, x + n, 0.0)
//   pi/parmap_thrust/1e8                  parmap-pi's count_hits (examples/pi/pi_kernel.hpp) on parmap::thrust;
//                                         OpenMP system only (its loop is host code, chosen per CPU at run time)
// The OpenMP system runs on omp_get_max_threads() threads, as parmap_openmp does. On the GPU each timed call
// ends with cudaDeviceSynchronize. These benchmarks register themselves when the program starts.
// <parmap/thrust.hpp> comes before pi_kernel.hpp: its template calls parmap::parallel_map_reduce by
// qualified name, which sees only the overloads declared before it.
#include <parmap/thrust.hpp>

#include "common.hpp"
#include "pi_kernel.hpp"

#include <thrust/device_ptr.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/reduce.h>
#include <thrust/transform.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace parmap_bench {
namespace {

#if PARMAP_THRUST_CUDA
template <class T>
using device_buffer = ::thrust::device_vector<T>;
const std::string suffix = "_gpu";
void finish() { cudaDeviceSynchronize(); }  // a launch returns before its kernel ends
#else
template <class T>
using device_buffer = buffer<T>;  // the OpenMP system's device memory is host memory
const std::string suffix;
void finish() {}
#endif

/// The start of a device buffer as a thrust::device_ptr, which Thrust and parmap::thrust read in place.
template <class Buffer>
auto device_begin(Buffer& b) {
    return ::thrust::device_pointer_cast(::thrust::raw_pointer_cast(b.data()));
}

struct square {
    PARMAP_HD float operator()(float v) const { return v * v; }
};

/// x and y on the host and in device memory; each implementation reads one x and writes its y.
struct map_data {
    buffer<float> x, y;
    device_buffer<float> dx, dy;
};

void parmap_thrust(map_data& d) {
    const auto in = device_begin(d.dx);
    parmap::parallel_map(parmap::thrust, in, in + static_cast<std::ptrdiff_t>(d.dx.size()), device_begin(d.dy), square{});
    finish();
}

void parmap_thrust_host(map_data& d) { parmap::parallel_map(parmap::thrust, d.x.begin(), d.x.end(), d.y.begin(), square{}); }

void thrust_raw(map_data& d) {
    const auto in = device_begin(d.dx);
    ::thrust::transform(::thrust::device, in, in + static_cast<std::ptrdiff_t>(d.dx.size()), device_begin(d.dy), square{});
    finish();
}

struct map_implementation {
    const char* name;
    void (*run)(map_data& d);
    bool on_host = false;  // writes y rather than dy
};

const map_implementation map_implementations[] = {
    {"parmap_thrust", parmap_thrust},
    {"parmap_thrust_host", parmap_thrust_host, true},
    {"thrust_raw", thrust_raw},
};

// As map_square.cpp's run(): the same input, the output checked once, then timed.
void run_map(benchmark::State& state, const std::string& name, const map_implementation& impl, std::size_t n) {
    map_data d{buffer<float>(n), buffer<float>(n), device_buffer<float>(n), device_buffer<float>(n)};
    for (std::size_t i = 0; i < n; ++i) d.x[i] = 1.0f + static_cast<float>(i % 1024) / 1024.0f;
    ::thrust::copy(d.x.begin(), d.x.end(), device_begin(d.dx));
    impl.run(d);
    buffer<float> y(n);
    if (impl.on_host) y = d.y;
    if (!impl.on_host) ::thrust::copy(device_begin(d.dy), device_begin(d.dy) + static_cast<std::ptrdiff_t>(n), y.begin());
    for (std::size_t i = 0; i < n; ++i) {
        if (y[i] != d.x[i] * d.x[i]) wrong_result(name, i, double(y[i]), double(d.x[i] * d.x[i]));
    }
    measure(state, [&] {
        impl.run(d);
        return d.y.data();
    });
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(2 * n * sizeof(float)));
}

/// x[i], read where x is.
struct element_of {
    const double* x;
    PARMAP_HD double operator()(std::size_t i) const { return x[i]; }
};

struct identity {
    PARMAP_HD double operator()(double v) const { return v; }
};

struct reduce_data {
    buffer<double> x;
    device_buffer<double> dx;
};

double reduce_parmap_thrust(reduce_data& d) {
    const double* x = ::thrust::raw_pointer_cast(d.dx.data());
    return parmap::parallel_map_reduce(parmap::thrust, parmap::iota(d.dx.size()), element_of{x}, 0.0, std::plus<>{});
}

double reduce_parmap_thrust_host(reduce_data& d) { return parmap::parallel_map_reduce(parmap::thrust, d.x, identity{}, 0.0, std::plus<>{}); }

double reduce_thrust_raw(reduce_data& d) {
    const auto in = device_begin(d.dx);
    return ::thrust::reduce(::thrust::device, in, in + static_cast<std::ptrdiff_t>(d.dx.size()), 0.0);
}

struct reduce_implementation {
    const char* name;
    double (*run)(reduce_data& d);
};

const reduce_implementation reduce_implementations[] = {
    {"parmap_thrust", reduce_parmap_thrust},
    {"parmap_thrust_host", reduce_parmap_thrust_host},
    {"thrust_raw", reduce_thrust_raw},
};

// As map_reduce_sum.cpp's run(): multiples of 1/4 below 256, so every order of the additions gives the
// exact same sum.
void run_reduce(benchmark::State& state, const std::string& name, const reduce_implementation& impl, std::size_t n) {
    reduce_data d{buffer<double>(n), device_buffer<double>(n)};
    double expected = 0.0;
    for (std::size_t i = 0; i < n; ++i) expected += d.x[i] = static_cast<double>(i % 1024) * 0.25;
    ::thrust::copy(d.x.begin(), d.x.end(), device_begin(d.dx));
    const double got = impl.run(d);
    if (got != expected) wrong_result(name, 0, got, expected);
    measure(state, [&] { return impl.run(d); });
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n * sizeof(double)));
}

#if !PARMAP_THRUST_CUDA
constexpr std::uint64_t pi_samples = 100'000'000, pi_seed = 42;  // as pi.cpp

// As pi.cpp's run(), with the expected count computed on first use (not at start-up: most runs filter pi out).
void run_pi(benchmark::State& state, const std::string& name) {
    static const std::uint64_t expected = parmap_pi::count_hits(pi_seed, 0, pi_samples);
    auto hits_now = [] { return parmap_pi::count_hits(parmap::thrust, pi_seed, pi_samples); };
    const std::uint64_t got = hits_now();
    if (got != expected) wrong_result(name, 0, static_cast<double>(got), static_cast<double>(expected));
    measure(state, hits_now);
    state.counters["samples_per_second"] =
        benchmark::Counter(static_cast<double>(state.iterations()) * static_cast<double>(pi_samples), benchmark::Counter::kIsRate);
    state.SetLabel(parmap_pi::best_kernel().name);
}
#endif

/// False, with a note on stderr, in a CUDA build on a machine without a usable CUDA device.
bool device_present() {
#if PARMAP_THRUST_CUDA
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess || count == 0) {
        std::fprintf(stderr, "parmap-bench: no CUDA device here: the thrust _gpu benchmarks are not registered\n");
        return false;
    }
#endif
    return true;
}

void register_thrust() {
    if (!device_present()) return;
    std::vector<std::size_t> sizes{1000, 100000, 1000000, 10000000};  // map_square's
    if (env_flag("PARMAP_BENCH_LARGE")) sizes.push_back(100000000);
    for (std::size_t n : sizes) {
        for (const map_implementation& impl : map_implementations) {
            add("map_square", impl.name + suffix, n, benchmark::kMicrosecond,
                [&impl, n](benchmark::State& state, const std::string& name) { run_map(state, name, impl, n); });
        }
    }
    constexpr std::size_t sum_elements = 10000000;  // map_reduce_sum's
    for (const reduce_implementation& impl : reduce_implementations) {
        add("map_reduce_sum", impl.name + suffix, sum_elements, benchmark::kMicrosecond,
            [&impl](benchmark::State& state, const std::string& name) { run_reduce(state, name, impl, sum_elements); });
    }
#if !PARMAP_THRUST_CUDA
    add("pi", "parmap_thrust", pi_samples, benchmark::kMillisecond, run_pi);
#endif
}

[[maybe_unused]] const bool registered = (register_thrust(), true);

} // namespace
} // namespace parmap_bench
