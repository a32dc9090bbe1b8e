// parmap: the checks for misuse that every backend's front-end shares. Each is a static_assert whose
// message is written for the user, so that a misuse gives one clear first error instead of a wall of
// template errors.
#pragma once

#include <parmap/detail/elements.hpp>
#include <parmap/ranges.hpp>

#include <type_traits>

namespace parmap::detail {

// The checks below return `auto` so that each is instantiated where it is called: a function returning
// void is instantiated at the end of the translation unit, and its note would come after the errors
// that the misuse causes in the caller's own code.

/// True when f can be called with an element of It; else the note for the user is the first error.
template <class It, class F>
constexpr auto check_callable() {
    static_assert(element_call<It, F>::invocable,
                  "Note to the user: f cannot be called with an element of the input. With parmap::zip(a, b, ...), "
                  "f takes one argument per zipped range: f(a_i, b_i, ...).");
    return element_call<It, F>::invocable;
}

/// True when Range is a multi-pass range whose elements f accepts; else the first error is a note.
template <class Range, class F>
constexpr auto check_input() {
    static_assert(is_range_v<Range>,
                  "Note to the user: the input must be a range: a container, parmap::iota(n) for the indices 0..n-1, "
                  "parmap::zip(a, b, ...), or parmap::span(pointer, count) for a C array.");
    if constexpr (!is_range_v<Range>) {
        return false;
    } else {
        static_assert(is_forward_v<begin_t<Range>>,
                      "Note to the user: parallel_map walks its input more than once, so it needs a forward range. "
                      "A single-pass range (std::istream_iterator, std::filesystem::directory_iterator, a generator) "
                      "is read once by parmap::imap, or copy it into a std::vector first.");
        if constexpr (!is_forward_v<begin_t<Range>>) {
            return false;
        } else {
            return check_callable<begin_t<Range>, F>();
        }
    }
}

/// True when R, f's result, is a value to collect; else the first error says to use parallel_for.
template <class R>
constexpr auto check_value_result() {
    static_assert(!std::is_void_v<R>, "Note to the user: f returns void, so there is nothing to collect: use parmap::parallel_for.");
    return !std::is_void_v<R>;
}

/// True when f over It returns a value to collect; else the first error says to use parallel_for.
template <class It, class F>
constexpr auto check_result() {
    return check_value_result<result_t<It, F>>();
}

/// True when op and T fit f's results; else the first error says what must hold.
template <class It, class F, class T, class Op>
constexpr auto check_reduction() {
    using R = typename element_call<It, F>::type;
    static_assert(std::is_constructible_v<T, R>,
                  "Note to the user: each reduction block starts from f of its first element, so f's result must "
                  "convert to T, the type of init (e.g. return std::string from f when init is a std::string).");
    static_assert(std::is_invocable_r_v<T, Op&, T&&, R> && std::is_invocable_r_v<T, Op&, T&&, T&&>,
                  "Note to the user: op must take (T, f's result) and (T, T), T being init's type, and return "
                  "something that converts to T.");
    return std::is_constructible_v<T, R> && std::is_invocable_r_v<T, Op&, T&&, R> && std::is_invocable_r_v<T, Op&, T&&, T&&>;
}

} // namespace parmap::detail
