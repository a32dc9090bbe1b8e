// parmap::verify: one call that runs f over an input on every compiled backend and configuration (the
// list of <parmap/configurations.hpp>: threads and OpenMP at workers {1, 2, 3, 8} x every chunking, Thrust
// when <parmap/thrust.hpp> is included, MPI when <parmap/mpi.hpp> is included and MPI is running), and
// reports where any disagrees with parmap::serial.
//
//   auto report = parmap::verify(xs, f);                               // bit for bit
//   auto report = parmap::verify(xs, f, parmap::compare::ulps(4));     // or compare::tolerance(abs, rel), or a callable
//   auto report = parmap::verify_reduce(xs, f, 0.0, std::plus<>{});
//   std::cout << report;  if (!report) return 1;  report.require();    // require() throws parmap::verify_error
//
// f runs once per element in every configuration, some 60 times in all: an f with side effects sees
// every one of them. Exceptions compare too: every element runs, and an element that throws must throw
// the same type at the same index everywhere.
#pragma once

#include <parmap/configurations.hpp>
#include <parmap/detail/verify_diff.hpp>
#include <parmap/detail/verify_run.hpp>
#include <parmap/parallel_map.hpp>

#include <chrono>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap {
namespace detail {

template <class R, class Compare>
constexpr auto check_comparison() {
    constexpr bool built_in = std::is_same_v<Compare, compare::bitwise> || std::is_same_v<Compare, compare::ulps_within> ||
                              std::is_same_v<Compare, compare::tolerance_within>;
    if constexpr (built_in) {
        static_assert(bitwise_comparable<R>(),
                      "Note to the user: parmap::verify compares f's results with ==, or by their bytes when the type has a "
                      "unique object representation (no padding), and this result type has neither: pass a comparison, "
                      "parmap::verify(xs, f, [](const R& reference, const R& got) { return ...; }).");
        return bitwise_comparable<R>();
    } else {
        static_assert(std::is_invocable_r_v<bool, Compare&, const R&, const R&>,
                      "Note to the user: parmap::verify calls a comparison as compare(reference, got), both of f's result "
                      "type, and expects a bool.");
        return std::is_invocable_r_v<bool, Compare&, const R&, const R&>;
    }
}

template <class Compare>
std::string describe_comparison(const Compare& compare) {
    if constexpr (std::is_same_v<Compare, parmap::compare::bitwise> || std::is_same_v<Compare, parmap::compare::ulps_within> ||
                  std::is_same_v<Compare, parmap::compare::tolerance_within>) {
        return compare.description();
    } else {
        return "by the comparison given";
    }
}

/// A configuration's policy as code, whatever header it comes from.
template <class P>
std::string spelling_of(const P& policy) {
    if constexpr (!runs_on_ranks_v<P>) {
        return configurations::spelling(policy);
    } else {
        return configurations::optional_backend<configurations::mpi_backend, P>::spelling(policy);
    }
}

/// False where policy P cannot take results of type R: MPI and device backends move results as bytes.
template <class P, class R>
constexpr bool result_fits() {
    if constexpr (runs_on_ranks_v<P>) {
        return std::is_trivially_copyable_v<R>;
    } else if constexpr (moves_data_v<P>) {
        return is_device_copyable_v<R> && std::is_default_constructible_v<R>;
    } else {
        return true;
    }
}

inline verify_report::configuration skipped_configuration(std::string policy, std::string reason) {
    verify_report::configuration c;
    c.policy = std::move(policy);
    c.skipped = true;
    c.reason = std::move(reason);
    return c;
}

/// The reference's own line: serial, ok by definition, and its time.
inline verify_report::configuration reference_line(double seconds) {
    return {configurations::spelling(parmap::serial) + " (the reference)", false, "", seconds, 0, {}};
}

/// Runs `run(policy)` for every configuration but serial (run first, as the reference); R: what it returns.
template <class R, class Run>
void each_configuration(verify_report& report, Run&& run) {
    configurations::for_each([&](const auto& policy) {
        using P = std::decay_t<decltype(policy)>;
        if constexpr (std::is_same_v<P, configurations::skipped>) {
            report.add(skipped_configuration(policy.spelling, policy.reason));
        } else if constexpr (std::is_same_v<P, std::decay_t<decltype(parmap::serial)>>) {
            return;  // the reference, already run
        } else if constexpr (result_fits<P, R>()) {
            run(policy);
        } else {
            report.add(skipped_configuration(spelling_of(policy), "this backend moves results as bytes, and f's result is not "
                                                                  "trivially copyable and default-constructible"));
        }
    });
}

template <class Range, class F, class Compare>
verify_report verify_map(Range& input, F& f, Compare& compare) {
    using It = begin_t<Range>;
    using R = result_t<It, F>;
    using Stored = std::conditional_t<std::is_default_constructible_v<R> && std::is_move_assignable_v<R>, R, std::optional<R>>;
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = range_size(input);
    element_source<It> in(std::begin(input), n);
    verify_report report("parallel_map " + describe_comparison(compare), n);
    const map_outcome<Stored> reference = run_map_configuration<Stored>(parmap::serial, input, in, f);
    report.add(reference_line(reference.seconds));
    each_configuration<Stored>(report, [&](const auto& policy) {
        const map_outcome<Stored> got = run_map_configuration<Stored>(policy, input, in, f);
        report.add(compare_map(spelling_of(policy), reference, got, compare));
    });
    report.set_seconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return report;
}

template <class Range, class F, class T, class Op, class Compare>
verify_report verify_reduce_range(Range& input, F& f, const T& init, Op& op, Compare& compare) {
    using It = begin_t<Range>;
    const auto start = std::chrono::steady_clock::now();
    const std::size_t n = range_size(input);
    element_source<It> in(std::begin(input), n);
    verify_report report("parallel_map_reduce " + describe_comparison(compare), n);
    auto element = [&](std::size_t i) -> std::decay_t<typename element_call<It, F>::type> { return call_element<It>(f, in[i]); };
    auto reduce = [&](const auto& policy) {  // the input itself, or its indices for MPI and Thrust's CPU systems
        using P = std::decay_t<decltype(policy)>;
        if constexpr ((runs_in_process_v<P> && !moves_data_v<P>) || on_device_v<P>) {
            return parallel_map_reduce(policy, input, f, init, op);
        } else {
            return parallel_map_reduce(policy, parmap::iota(n), element, init, op);
        }
    };
    const reduce_outcome<T> reference = run_reduce_configuration<T>(parmap::serial, reduce);
    report.add(reference_line(reference.seconds));
    each_configuration<T>(report, [&](const auto& policy) {
        report.add(compare_reduce(spelling_of(policy), reference, run_reduce_configuration<T>(policy, reduce), compare));
    });
    report.set_seconds(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    return report;
}

/// The input as verify walks it: a forward range as it is; a single-pass one is copied into a vector once.
template <class Range, class Then>
auto with_multipass(Range& input, Then&& then) {
    if constexpr (is_forward_v<begin_t<Range>>) {
        return then(input);
    } else {
        using value = typename std::iterator_traits<begin_t<Range>>::value_type;
        std::vector<value> copy(std::begin(input), std::end(input));
        return then(copy);
    }
}

template <class Range>
constexpr auto check_verify_range() {
    static_assert(is_range_v<Range>,
                  "Note to the user: parmap::verify takes a range as its input: a container, parmap::iota(n), "
                  "parmap::zip(a, b, ...), or parmap::span(pointer, count).");
    return is_range_v<Range>;
}

} // namespace detail

/// @brief Runs parallel_map(policy, input, f) on every configuration (<parmap/configurations.hpp>) and
/// compares each with parmap::serial: bit for bit by default, else as `compare(reference, got)` says
/// (parmap::compare::ulps(k), parmap::compare::tolerance(abs, rel), or any `bool(const R&, const R&)`).
/// A single-pass input is copied once. f runs over the whole input some 60 times. With <parmap/mpi.hpp> and
/// MPI running, every rank must call verify with the same input.
/// @code auto report = parmap::verify(xs, f); std::cout << report; report.require(); @endcode
template <class Range, class F, class Compare = compare::bitwise>
auto verify(Range&& input, F&& f, Compare compare = {}) {
    if constexpr (detail::check_verify_range<std::remove_reference_t<Range>>()) {
        return detail::with_multipass(input, [&](auto& range) {
            using It = detail::begin_t<std::remove_reference_t<decltype(range)>>;
            if constexpr (detail::check_callable<It, F&>() && detail::check_result<It, F&>()) {
                if constexpr (detail::check_comparison<detail::result_t<It, F&>, Compare>()) {
                    return detail::verify_map(range, f, compare);
                }
            }
        });
    }
}

/// @brief Runs parallel_map_reduce(policy, input, f, init, op) on every configuration and compares each
/// result with parmap::serial's, as verify does. An exception compares by its type and message.
/// @code parmap::verify_reduce(xs, f, 0.0, std::plus<>{}).require(); @endcode
template <class Range, class F, class T, class Op, class Compare = compare::bitwise>
auto verify_reduce(Range&& input, F&& f, T init, Op op, Compare compare = {}) {
    if constexpr (detail::check_verify_range<std::remove_reference_t<Range>>()) {
        return detail::with_multipass(input, [&](auto& range) {
            using It = detail::begin_t<std::remove_reference_t<decltype(range)>>;
            if constexpr (detail::check_callable<It, F&>() && detail::check_reduction<It, F&, T, Op>()) {
                if constexpr (detail::check_comparison<T, Compare>()) return detail::verify_reduce_range(range, f, init, op, compare);
            }
        });
    }
}

} // namespace parmap
