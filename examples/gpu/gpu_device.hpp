// parmap-gpu's device-resident timings: the inputs copied into thrust::device_vectors once, the map run
// there through parallel_map's iterator form into a preallocated device_vector, the results copied back,
// each step timed on its own, and a device-to-device thrust::copy of the same bytes as the roofline.
// Compiled by nvcc the device is the GPU; compiled by g++ it is Thrust's OpenMP system (host memory), so
// this code runs in every CI build.
#pragma once

#include "gpu_rides.hpp"

#include <parmap/thrust.hpp>

#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/tuple.h>

#include <cstddef>
#include <vector>

namespace parmap_gpu {

/// What "device" means in this build, for the output.
#if PARMAP_THRUST_CUDA
inline constexpr const char* device_name = "GPU";
#else
inline constexpr const char* device_name = "OpenMP system";
#endif

/// Waits for the device's queued work (a launch returns before its kernel ends on a GPU).
inline void wait_for_device() {
#if PARMAP_THRUST_CUDA
    if (cudaDeviceSynchronize() != cudaSuccess) throw parmap::device_error("parmap-gpu: cudaDeviceSynchronize failed");
#endif
}

/// The shortest of `repeats` runs of step() on the device, in seconds, each ended by wait_for_device().
template <class Step>
double device_seconds(std::size_t repeats, Step&& step) {
    wait_for_device();
    return best_seconds(repeats, [&] {
        step();
        wait_for_device();
    });
}

/// Tip per mile of a (tip, miles) pair, as parallel_map's iterator form passes a zip_iterator's element.
struct tip_per_mile_of_pair : tip_per_mile {
    using tip_per_mile::operator();
    template <class Pair>
    PARMAP_HD float operator()(const Pair& ride) const {
        return tip_per_mile{}(::thrust::get<0>(ride), ::thrust::get<1>(ride));
    }
};

/// The three steps of a device-resident workload, best of the repeats each, in seconds.
struct stage_times {
    double to_device = 0;
    double kernel = 0;
    double to_host = 0;
};

/// A device-to-device thrust::copy that reads and writes as many bytes as the map over `rides` rides
/// (8 read and 4 written per ride): the device's bandwidth roofline for it.
struct copy_roofline {
    double seconds = 0;
    double bytes = 0;  ///< read plus written
};

/// Device-resident tip per mile: the stage times, the results (copied back) in `per_mile`, and the roofline.
inline stage_times per_mile_on_device(const rides& r, std::size_t repeats, std::vector<float>& per_mile, copy_roofline& copy) {
    const std::size_t n = r.tips.size();
    ::thrust::device_vector<float> tips(n), miles(n), out(n);
    stage_times t;
    t.to_device = device_seconds(repeats, [&] {
        ::thrust::copy(r.tips.begin(), r.tips.end(), tips.begin());
        ::thrust::copy(r.miles.begin(), r.miles.end(), miles.begin());
    });
    const auto first = ::thrust::make_zip_iterator(tips.begin(), miles.begin());
    const auto last = first + static_cast<std::ptrdiff_t>(n);
    t.kernel = device_seconds(repeats, [&] { parmap::parallel_map(parmap::thrust, first, last, out.begin(), tip_per_mile_of_pair{}); });
    per_mile.resize(n);
    t.to_host = device_seconds(repeats, [&] { ::thrust::copy(out.begin(), out.end(), per_mile.begin()); });
    const std::size_t floats = (3 * n + 1) / 2;  // 6 bytes per ride, read and written: the map's 12
    ::thrust::device_vector<float> from(floats, 1.0f), to(floats);
    copy.seconds = device_seconds(repeats, [&] { ::thrust::copy(from.begin(), from.end(), to.begin()); });
    copy.bytes = 2.0 * static_cast<double>(floats * sizeof(float));
    return t;
}

/// Device-resident determinants: the stage times and the results (copied back) in `dets`.
inline stage_times determinants_on_device(const std::vector<matrix3>& matrices, std::size_t repeats, std::vector<double>& dets) {
    const std::size_t n = matrices.size();
    ::thrust::device_vector<matrix3> in(n);
    ::thrust::device_vector<double> out(n);
    stage_times t;
    t.to_device = device_seconds(repeats, [&] { ::thrust::copy(matrices.begin(), matrices.end(), in.begin()); });
    t.kernel = device_seconds(repeats, [&] { parmap::parallel_map(parmap::thrust, in.begin(), in.end(), out.begin(), determinant{}); });
    dets.resize(n);
    t.to_host = device_seconds(repeats, [&] { ::thrust::copy(out.begin(), out.end(), dets.begin()); });
    return t;
}

} // namespace parmap_gpu
