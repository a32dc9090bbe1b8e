// parmap: how the front-ends reach one element of an input and call f with it, and what f returns for it:
// zip elements are spread into separate arguments, forward ranges are indexed once, proxy references
// (std::vector<bool>'s bits) become their value type.
#pragma once

#include <parmap/ranges.hpp>

#include <cstddef>
#include <functional>
#include <iterator>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

// Put before a chunk's loop over its elements (`PARMAP_DETAIL_UNROLLED for (...)`): under GCC the loop,
// vectorised or not, is unrolled 4 times. GCC's loop of one SSE vector per turn is otherwise as fast as
// the memory only where it does not straddle a 64-byte boundary, so the same call took 42 or 69 us on
// 1e6 floats depending on where the linker put it; unrolled it takes 42 wherever it lands (see the README,
// "Where the chunk loop lands"). Clang's vectoriser interleaves on its own, and a forced unroll there
// halves its speed, so elsewhere the macro is empty: nvcc, nvc++ and the Intel compilers define __GNUC__
// too, and are left out by name.
#if defined(__GNUC__) && !defined(__clang__) && !defined(__CUDACC__) && !defined(__INTEL_COMPILER) && \
    !defined(__NVCOMPILER)
#define PARMAP_DETAIL_UNROLLED _Pragma("GCC unroll 4")
#else
#define PARMAP_DETAIL_UNROLLED
#endif

namespace parmap {
namespace detail {

template <class It, class = void>
struct spreads_arguments : std::false_type {};
template <class It>
struct spreads_arguments<It, std::void_t<decltype(It::spreads_arguments)>> : std::bool_constant<It::spreads_arguments> {};

/// Calls f with the element: its parts as separate arguments for zip iterators, else the element itself.
template <class It, class F, class E>
decltype(auto) call_element(F& f, E&& element) {
    if constexpr (spreads_arguments<It>::value) {
        return std::apply(f, std::forward<E>(element));
    } else {
        return std::invoke(f, std::forward<E>(element));
    }
}

// What f returns for an element, found without instantiating call_element (whose deduced return
// type would turn "not callable" into a hard error instead of the static_assert written for the user).
// Each has a member `type` only when the call is valid, like std::invoke_result.
template <class F, class Tuple, class Indices>
struct apply_result {};
template <class F, class Tuple, std::size_t... I>
struct apply_result<F, Tuple, std::index_sequence<I...>>
    : std::invoke_result<F, decltype(std::get<I>(std::declval<Tuple>()))...> {};

template <class It, class F, class E = decltype(*std::declval<It&>()), bool Spread = spreads_arguments<It>::value>
struct element_result : std::invoke_result<F&, E> {};
template <class It, class F, class E>
struct element_result<It, F, E, true>
    : apply_result<F&, E, std::make_index_sequence<std::tuple_size_v<std::remove_reference_t<E>>>> {};

/// Whether f can be called with element E of an It (by default what *it gives) and what it returns.
template <class It, class F, class E = decltype(*std::declval<It&>()), class = void>
struct element_call {
    static constexpr bool invocable = false;
    using type = void;
};
template <class It, class F, class E>
struct element_call<It, F, E, std::void_t<typename element_result<It, F, E>::type>> {
    static constexpr bool invocable = true;
    using type = typename element_result<It, F, E>::type;
};

/// What a result of type T is stored as. A proxy reference returned by f (a generic lambda returning its
/// std::vector<bool> element) refers into the input, and a default-constructed one cannot even be assigned
/// to: it is stored as the value it refers to. Any iterator's own proxy reference type counts too.
template <class T, class It, class = void>
struct stored_as {
    using type = std::conditional_t<std::is_same_v<T, std::vector<bool>::reference>, bool, T>;
};
template <class T, class It>
struct stored_as<T, It, std::enable_if_t<!std::is_reference_v<typename std::iterator_traits<It>::reference> &&
                                         std::is_same_v<T, std::decay_t<typename std::iterator_traits<It>::reference>> &&
                                         !std::is_same_v<T, typename std::iterator_traits<It>::value_type>>> {
    using type = std::remove_cv_t<typename std::iterator_traits<It>::value_type>;
};

/// The element type of the std::vector that parallel_map returns for f over iterator It (void when f
/// cannot be called with an element).
template <class It, class F>
using result_t = typename stored_as<std::decay_t<typename element_call<It, F>::type>, It>::type;

/// Element i of a sequence, in O(1): random-access iterators are indexed directly, forward ones are
/// walked once up front and their iterators kept.
template <class It, bool RandomAccess = is_random_access_v<It>>
class element_source {
public:
    element_source(It first, std::size_t) : first_(first) {}
    decltype(auto) operator[](std::size_t i) const {
        return first_[static_cast<typename std::iterator_traits<It>::difference_type>(i)];
    }

private:
    It first_;
};

template <class It>
class element_source<It, false> {
public:
    element_source(It first, std::size_t n) {
        iterators_.reserve(n);
        for (std::size_t i = 0; i < n; ++i, ++first) iterators_.push_back(first);
    }
    decltype(auto) operator[](std::size_t i) const { return *iterators_[i]; }

private:
    std::vector<It> iterators_;
};

} // namespace detail

} // namespace parmap
