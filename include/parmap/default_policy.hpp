// parmap: the default policy, which the front-ends that take no policy use: parmap::threads unless
// PARMAP_DEFAULT_BACKEND names another (serial, threads or openmp, with options if you like).
//
//   #define PARMAP_DEFAULT_BACKEND openmp   // best from the build system: -DPARMAP_DEFAULT_BACKEND=openmp
//   auto ys = parmap::parallel_map(xs, f);  // runs on parmap::openmp
#pragma once

#include <parmap/backend/openmp.hpp>
#include <parmap/backend/serial.hpp>
#include <parmap/backend/threads.hpp>
#include <parmap/policy.hpp>

#include <type_traits>

#ifndef PARMAP_DEFAULT_BACKEND
/// @brief The policy that calls without one use: define it (to serial, threads or openmp) the same way
/// in every translation unit, best from the build system, to change it.
#define PARMAP_DEFAULT_BACKEND threads
#endif

namespace parmap {

/// @brief The policy used by the overloads that take none: parmap::threads unless PARMAP_DEFAULT_BACKEND says
/// otherwise. It is returned by value, so the macro may also be a policy expression such as threads.workers(2).
inline auto default_policy() {
    using default_type = std::remove_cv_t<std::remove_reference_t<decltype(PARMAP_DEFAULT_BACKEND)>>;
    static_assert(is_policy_v<default_type>,
                  "Note to the user: PARMAP_DEFAULT_BACKEND must name a parmap policy: serial, threads or openmp, "
                  "with options if you like (threads.workers(2)).");
    return default_type(PARMAP_DEFAULT_BACKEND);
}

} // namespace parmap
