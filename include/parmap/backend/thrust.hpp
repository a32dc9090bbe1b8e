// parmap backend: Thrust. Where a call runs (the device check, the execution policy and its stream, the
// OpenMP team of the CPU system), how CUDA errors become parmap::device_error, how f's exceptions are kept
// on the CPU systems, and the pieces between which stop and progress act. Inputs and device memory are in
// detail/device_memory.hpp, the calls of f and op in detail/device_functions.hpp; the front-ends that put
// them together are in <parmap/thrust.hpp>.
#pragma once

#include <parmap/detail/device_functions.hpp>
#include <parmap/detail/device_memory.hpp>
#include <parmap/detail/job.hpp>
#include <parmap/detail/reduce_tree.hpp>
#include <parmap/detail/thrust_config.hpp>
#include <parmap/device.hpp>
#include <parmap/policy.hpp>

#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <string>
#include <utility>

namespace parmap::detail {

// ---- where the call runs --------------------------------------------------------------------------

/// Throws device_error once per process when there is no usable CUDA device (CUDA builds only).
inline void require_device() {
#if PARMAP_THRUST_CUDA
    static const cudaError_t status = [] {
        int count = 0;
        cudaError_t e = cudaGetDeviceCount(&count);
        return e == cudaSuccess && count == 0 ? cudaErrorNoDevice : e;
    }();
    if (status != cudaSuccess) {
        throw device_error(std::string("parmap::thrust: no CUDA device: ") + cudaGetErrorString(status) +
                           " (this program was built for the GPU; use a CPU backend on this machine)");
    }
#endif
}

/// Runs `run()`, turning Thrust's CUDA errors into parmap::device_error.
template <class Run>
decltype(auto) device_call(Run&& run) {
#if PARMAP_THRUST_CUDA
    try {
        return run();
    } catch (const ::thrust::system::detail::bad_alloc& e) {
        throw device_error(std::string("parmap::thrust: out of device memory: ") + e.what());
    } catch (const ::thrust::system_error& e) {
        throw device_error(std::string("parmap::thrust: the device failed: ") + e.what());
    }
#else
    return run();
#endif
}

/// The Thrust execution policy of a call: the policy's stream under CUDA (Sync: wait for the work
/// before returning; otherwise stream order only), the device system's own elsewhere.
template <bool Sync = true, class Policy>
auto device_exec(const Policy& p) {
#if PARMAP_THRUST_CUDA
    if constexpr (Sync) {
        return ::thrust::cuda::par.on(p.options().stream);
    } else {
        return ::thrust::cuda::par_nosync.on(p.options().stream);
    }
#else
    (void)p;
    return ::thrust::device;
#endif
}

/// .workers(n) on OpenMP's device system: the calling thread's OpenMP thread count for the call.
class device_threads_scope {
public:
    explicit device_threads_scope(std::size_t workers) noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
        if (workers != 0) {
            saved_ = omp_get_max_threads();
            omp_set_num_threads(static_cast<int>(workers));
        }
#else
        (void)workers;
#endif
    }
    ~device_threads_scope() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
        if (saved_ != 0) omp_set_num_threads(saved_);
#endif
    }
    device_threads_scope(const device_threads_scope&) = delete;
    device_threads_scope& operator=(const device_threads_scope&) = delete;

private:
    int saved_ = 0;
};

/// Runs launch(begin, end) over [0, n) in pieces whose boundaries are multiples of `align`, with the
/// core's rules for stop and progress. Without either, one piece: a single launch.
template <class Progress, class Launch>
void run_device_pieces(const policy<thrust_backend, Progress>& p, std::size_t n, Launch& launch, std::size_t align = 1) {
    constexpr std::size_t pieces = 16;  // stop and progress are checked between pieces
    chunk_schedule schedule(n, chunks::dynamic(std::max<std::size_t>(ceil_div(n, pieces), 1)), 1, align);
    job_control<Progress> control(n, p.options(), p.progress_option());
    control.run_alone(schedule, launch);
}

// ---- f's exceptions on host device systems ---------------------------------------------------------

/// Host device systems (OpenMP, C++) run f on host threads, where it may throw: the exception of the
/// lowest element index is kept and rethrown after the launch. Device code cannot throw.
using error_sink = first_error;


} // namespace parmap::detail
