// parmap: what code and data need to run on a device (a GPU through parmap::thrust). Nothing here
// needs CUDA: the macros are empty for host compilers, and the trait and the error type are plain C++.
//
//   struct per_mile { PARMAP_HD double operator()(double tip, double miles) const { return tip / miles; } };
//   auto f = [] PARMAP_HD (float x) { return x * x; };   // nvcc: needs --extended-lambda
#pragma once

#include <stdexcept>
#include <string>
#include <type_traits>

/// @brief Marks a function callable from host and device code under nvcc (__host__ __device__); nothing elsewhere.
#if defined(__CUDACC__)
#define PARMAP_HD __host__ __device__
#else
#define PARMAP_HD
#endif

// Ten Philox rounds cost more than clang 14's inlining threshold at -O3 (460 against 375): left out of
// line, the caller's loop cannot be vectorised (measured: 3x slower than g++'s loop). Force it inline.
#if defined(__CUDACC__)
#define PARMAP_FORCE_INLINE __forceinline__
#elif defined(__GNUC__)
#define PARMAP_FORCE_INLINE __attribute__((always_inline)) inline
#elif defined(_MSC_VER)
#define PARMAP_FORCE_INLINE __forceinline
#else
#define PARMAP_FORCE_INLINE inline
#endif

namespace parmap {

/// @brief True for types that parmap::thrust may copy to and from device memory as bytes. The default
/// is std::is_trivially_copyable; specialise it (to std::true_type) for a type that is bitwise copyable
/// although it declares its own copy constructor, as <parmap/eigen.hpp> does for fixed-size Eigen types.
template <class T, class = void>
struct is_device_copyable : std::is_trivially_copyable<T> {};

template <class T>
inline constexpr bool is_device_copyable_v = is_device_copyable<std::remove_cv_t<T>>::value;

/// @brief A device failure turned into an exception: no CUDA device, out of device memory, a failed
/// launch. what() carries CUDA's own message after parmap's one-line explanation.
class device_error : public std::runtime_error {
public:
    explicit device_error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace parmap
