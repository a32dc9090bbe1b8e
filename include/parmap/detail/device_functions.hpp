// parmap::thrust's device functions: correctly rounded device arithmetic, device versions of the
// standard function objects, and how f is called with an element (arguments<V...>), with host-only
// callables made a compile error under nvcc.
#pragma once

#include <parmap/detail/thrust_config.hpp>
#include <parmap/device.hpp>

#include <cstddef>
#include <functional>
#include <tuple>
#include <type_traits>
#include <utility>

namespace parmap::detail {

// ---- device arithmetic ----------------------------------------------------------------------------

// Correctly rounded floating-point operations in device code, so that nvcc cannot contract the library's
// combining steps with the arithmetic of f into FMAs (acc + x * c); plain operators everywhere else.
template <class A, class B>
PARMAP_HD constexpr auto add_rn(const A& a, const B& b) { return a + b; }
template <class A, class B>
PARMAP_HD constexpr auto sub_rn(const A& a, const B& b) { return a - b; }
template <class A, class B>
PARMAP_HD constexpr auto mul_rn(const A& a, const B& b) { return a * b; }
template <class A, class B>
PARMAP_HD constexpr auto div_rn(const A& a, const B& b) { return a / b; }
#if defined(__CUDA_ARCH__)
__device__ inline double add_rn(const double& a, const double& b) { return __dadd_rn(a, b); }
__device__ inline float add_rn(const float& a, const float& b) { return __fadd_rn(a, b); }
__device__ inline double sub_rn(const double& a, const double& b) { return __dsub_rn(a, b); }
__device__ inline float sub_rn(const float& a, const float& b) { return __fsub_rn(a, b); }
__device__ inline double mul_rn(const double& a, const double& b) { return __dmul_rn(a, b); }
__device__ inline float mul_rn(const float& a, const float& b) { return __fmul_rn(a, b); }
__device__ inline double div_rn(const double& a, const double& b) { return __ddiv_rn(a, b); }
__device__ inline float div_rn(const float& a, const float& b) { return __fdiv_rn(a, b); }
#endif

/// The device version of a function object: the standard ones (std::plus<>, std::divides<double>, ...)
/// are host-only under nvcc without --expt-relaxed-constexpr, so they become parmap's own; others stay.
template <class F>
struct device_function {
    using type = F;
};

#define PARMAP_DEVICE_FUNCTION(std_name, expr)                                                               \
    template <class T>                                                                                         \
    struct device_##std_name {                                                                                 \
        PARMAP_HD constexpr auto operator()(const T& a, const T& b) const { return static_cast<T>(expr); }    \
    };                                                                                                         \
    template <>                                                                                                \
    struct device_##std_name<void> {                                                                           \
        template <class A, class B>                                                                            \
        PARMAP_HD constexpr auto operator()(const A& a, const B& b) const { return expr; }                    \
    };                                                                                                         \
    template <class T>                                                                                         \
    struct device_function<std::std_name<T>> {                                                                 \
        using type = device_##std_name<T>;                                                                     \
    };
PARMAP_DEVICE_FUNCTION(plus, add_rn(a, b))
PARMAP_DEVICE_FUNCTION(minus, sub_rn(a, b))
PARMAP_DEVICE_FUNCTION(multiplies, mul_rn(a, b))
PARMAP_DEVICE_FUNCTION(divides, div_rn(a, b))
PARMAP_DEVICE_FUNCTION(modulus, a % b)
PARMAP_DEVICE_FUNCTION(bit_and, a & b)
PARMAP_DEVICE_FUNCTION(bit_or, a | b)
PARMAP_DEVICE_FUNCTION(bit_xor, a ^ b)
PARMAP_DEVICE_FUNCTION(logical_and, a && b)
PARMAP_DEVICE_FUNCTION(logical_or, a || b)
#undef PARMAP_DEVICE_FUNCTION

template <class F>
using device_function_t = typename device_function<std::decay_t<F>>::type;

template <class F>
device_function_t<F> to_device_function(const F& f) {
    if constexpr (std::is_same_v<device_function_t<F>, std::decay_t<F>>) {
        return f;
    } else {
        return {};
    }
}

// Under nvcc, calling a host-only f from device code is only a warning, and the program fails when it
// runs. parmap makes it an error where parmap calls f, through a name that says what to do.
#if defined(__CUDACC__)
#define PARMAP_DEVICE_CALLS_BEGIN                                                                             \
    _Pragma("nv_diag_push") _Pragma("nv_diag_error 20011") _Pragma("nv_diag_error 20013")                    \
        _Pragma("nv_diag_error 20014") _Pragma("nv_diag_error 20015")
#define PARMAP_DEVICE_CALLS_END _Pragma("nv_diag_pop")
#else
#define PARMAP_DEVICE_CALLS_BEGIN
#define PARMAP_DEVICE_CALLS_END
#endif

PARMAP_DEVICE_CALLS_BEGIN
/// The element's value types, one per argument of f: calls f with copies of them.
template <class... V>
struct arguments {
    template <class Fn, class Ref>
    PARMAP_HD static auto call(const Fn& fn, Ref&& ref) {
        if constexpr (sizeof...(V) == 1) {
            const Fn& f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda = fn;  // nvcc prints this line
            return f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda(static_cast<V>(ref)...);
        } else {
            return spread(fn, ref, std::index_sequence_for<V...>{});
        }
    }
    template <class Fn, class Ref, std::size_t... I>
    PARMAP_HD static auto spread(const Fn& fn, Ref& ref, std::index_sequence<I...>) {
        const Fn& f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda = fn;  // nvcc prints this line
        return f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda(
            static_cast<std::tuple_element_t<I, std::tuple<V...>>>(::thrust::get<I>(ref))...);
    }
    template <class Fn>
    static constexpr bool invocable = std::is_invocable_v<const Fn&, V...>;
    template <class Fn>
    using result = std::decay_t<std::invoke_result_t<const Fn&, V...>>;
};
PARMAP_DEVICE_CALLS_END


/// The arguments f gets from an iterator's elements: a zip_iterator's tuple is spread, as parmap::zip's.
template <class V>
struct arguments_of {
    using type = arguments<V>;
};
template <class... Ts>
struct arguments_of<::thrust::tuple<Ts...>> {
    using type = arguments<Ts...>;
};

} // namespace parmap::detail
