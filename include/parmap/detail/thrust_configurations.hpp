// parmap::thrust's configurations in the list of <parmap/configurations.hpp> (run by parmap::verify):
// on Thrust's OpenMP system at every worker count; on CUDA once, or "skipped: no device" where none is.
// <parmap/thrust.hpp> includes this at its end.
#pragma once

#include <parmap/configurations.hpp>
#include <parmap/device.hpp>
#include <parmap/thrust.hpp>  // (which includes this file at its end: either order defines parmap::thrust first)

#include <cstddef>

namespace parmap::configurations {

template <class Dependent>
struct optional_backend<thrust_backend, Dependent> {
    static constexpr bool available = true;
    /// @brief True under nvcc: verify then calls f unwrapped, on the input itself (see verify.hpp).
    static constexpr bool on_device = PARMAP_THRUST_CUDA != 0;

    template <class Visit>
    static void each(Visit& visit) {
#if PARMAP_THRUST_CUDA
        try {
            parmap::detail::require_device();
        } catch (const device_error&) {
            visit(skipped{"parmap::thrust", "no device"});
            return;
        }
        visit(parmap::thrust);
#elif THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP
        for (std::size_t w : worker_counts) visit(parmap::thrust.workers(w));
#else
        visit(parmap::thrust);  // Thrust's plain C++ system runs on the calling thread: workers mean nothing
#endif
    }
};

} // namespace parmap::configurations
