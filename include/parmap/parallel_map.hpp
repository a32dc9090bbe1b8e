// parmap: the front-ends. Each dispatches once: an input with an input_adapter goes to its adapter, a
// backend that moves data (thrust, mpi) gets the call through its four entry points (detail::backend),
// and on a CPU backend the front-end cuts the work into chunks of indices and hands them to
// detail::run_chunks, which every CPU backend implements side by side.
//
//   auto ys = parmap::parallel_map(parmap::threads, xs, [](double x) { return x * x; });
//   parmap::parallel_map(parmap::openmp, xs.begin(), xs.end(), out.begin(), f);
//   parmap::parallel_for(parmap::threads, n, [&](std::size_t i) { y[i] = f(x[i]); });
//   auto sum = parmap::parallel_map_reduce(parmap::threads, xs, f, 0.0, std::plus<>{});
#pragma once

#include <parmap/backend/openmp.hpp>
#include <parmap/backend/serial.hpp>
#include <parmap/backend/threads.hpp>
#include <parmap/default_policy.hpp>
#include <parmap/detail/checks.hpp>
#include <parmap/detail/elements.hpp>
#include <parmap/detail/error_policy.hpp>
#include <parmap/detail/reduce_tree.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap {
namespace detail {

/// Writes f(in[i]) to out[i] for every i, in parallel as `policy` says.
template <class Policy, class It, class Out, class F>
void map_elements(const Policy& policy, std::size_t n, const element_source<It>& in, Out& out, F& f) {
    // Cheap to copy (pointers, random-access iterators): the loop works on copies in registers, not through
    // references to the caller's variables, so it is vectorised wherever the compiler puts it.
    constexpr bool copy = std::is_trivially_copyable_v<Out> && std::is_trivially_copyable_v<element_source<It>>;
    using out_t = std::conditional_t<copy, Out, Out&>;
    using in_t = std::conditional_t<copy, element_source<It>, const element_source<It>&>;
    // The copies are held in the body: a worker reads them there, not in this frame and the caller's.
    using out_held = std::conditional_t<copy, Out, std::reference_wrapper<Out>>;
    using in_held = std::conditional_t<copy, element_source<It>, std::reference_wrapper<const element_source<It>>>;
    auto body = [dst_ = out_held(out), src_ = in_held(in), &f](std::size_t begin, std::size_t end) {
        out_t dst = dst_;
        in_t src = src_;
        PARMAP_DETAIL_UNROLLED
        for (std::size_t i = begin; i < end; ++i) dst[i] = call_element<It>(f, src[i]);
    };
    run_chunks(policy, n, body);
}

/// The results of f over the input, built in order: default-constructible results are assigned in
/// place; others (and bool, whose vector packs bits) are built in std::optional slots, then moved.
template <class R, class Policy, class It, class F>
std::vector<R> map_to_vector(const Policy& policy, std::size_t n, const element_source<It>& in, F& f) {
    if constexpr (std::is_default_constructible_v<R> && std::is_move_assignable_v<R> && !std::is_same_v<R, bool>) {
        std::vector<R> out(n);
        R* data = out.data();
        map_elements(policy, n, in, data, f);
        return out;
    } else {
        std::vector<std::optional<R>> staged(n);
        auto body = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) staged[i].emplace(call_element<It>(f, in[i]));
        };
        run_chunks(policy, n, body);
        std::vector<R> out;
        out.reserve(n);
        for (std::optional<R>& slot : staged) out.push_back(std::move(*slot));
        return out;
    }
}

} // namespace detail

/// @brief Customisation point for inputs that are not plain ranges: specialise it with `enabled = true`,
/// a `map(policy, input, f)` that returns parallel_map's result, and an `elements(input)` that returns the
/// elements as a range (for parallel_map_reduce). <parmap/eigen.hpp> does this for Eigen's dense types.
template <class T, class = void>
struct input_adapter {
    static constexpr bool enabled = false;
};

namespace detail {

template <class Range>
inline constexpr bool adapted_v = input_adapter<std::remove_cv_t<std::remove_reference_t<Range>>>::enabled;

template <class Range>
using adapter_t = input_adapter<std::remove_cv_t<std::remove_reference_t<Range>>>;

/// The entry points of a backend that moves data (parmap::thrust, parmap::mpi). Such a backend's own file
/// specialises this for its policy type, with `moves_data = true` and four static functions, the same in
/// each: run_map(policy, input, f) for parallel_map's range form, run_map_into(policy, first, last, out, f)
/// for its iterator form, run_for(policy, n, f) and run_map_reduce(policy, input, f, init, op). CPU
/// backends leave it alone: they implement run_chunks, and the front-ends below do the rest.
template <class Policy>
struct backend {
    static constexpr bool moves_data = false;
};

template <class Policy>
inline constexpr bool moves_data_v = backend<Policy>::moves_data;

template <class Policy, class Range, class F>
auto map_range(const Policy& policy, Range& input, F& f) {
    if constexpr (check_input<Range, F>()) {
        using It = begin_t<Range>;
        if constexpr (check_result<It, F>()) {
            check_options(policy);
            const std::size_t n = range_size(input);
            element_source<It> in(std::begin(input), n);
            if constexpr (guarded_v<Policy>) return guarded_vector<result_t<It, F>>(policy, n, in, f);
            else return map_to_vector<result_t<It, F>>(policy, n, in, f);
        }
    }
}

} // namespace detail

/// @brief Returns {f(x) for x in input} as a std::vector, in input order, computed in parallel as `policy` says.
/// `input` is any forward range (random-access ones are indexed directly), parmap::iota(n) or parmap::zip(a, b, ...),
/// whose elements f receives as separate arguments. f may run on several threads at once: it must be safe to call
/// concurrently. An exception from f is rethrown here (the one from the lowest index among those thrown);
/// a policy's `.errors(...)` can collect failures or return them as values instead (errors.hpp).
/// An input with an input_adapter (an Eigen matrix, with <parmap/eigen.hpp>) returns what its adapter makes.
/// @code auto squares = parmap::parallel_map(parmap::threads, xs, [](double x) { return x * x; }); @endcode
template <class Policy, class Range, class F, std::enable_if_t<is_policy_v<Policy>, int> = 0>
auto parallel_map(const Policy& policy, Range&& input, F&& f) {
    if constexpr (detail::adapted_v<Range>) {
        return detail::adapter_t<Range>::map(policy, input, f);
    } else if constexpr (detail::moves_data_v<Policy>) {
        return detail::backend<Policy>::run_map(policy, input, f);
    } else {
        return detail::map_range(policy, input, f);
    }
}

/// @brief parallel_map with the default policy (parmap::threads unless PARMAP_DEFAULT_BACKEND says otherwise).
template <class Range, class F, std::enable_if_t<!is_policy_v<Range>, int> = 0>
auto parallel_map(Range&& input, F&& f) {
    return parallel_map(default_policy(), std::forward<Range>(input), std::forward<F>(f));
}

/// @brief Writes f(*it) for every it in [first, last) to the range starting at `out`, like std::transform,
/// and returns the end of the output. Both iterators must be forward iterators (a back_inserter cannot be
/// written from several threads; use the range form to collect into a new vector).
/// @code parmap::parallel_map(parmap::openmp, xs.begin(), xs.end(), ys.begin(), f); @endcode
template <class Policy, class InputIt, class OutputIt, class F, std::enable_if_t<is_policy_v<Policy>, int> = 0>
OutputIt parallel_map(const Policy& policy, InputIt first, InputIt last, OutputIt out, F&& f) {
    static_assert(detail::is_forward_v<InputIt>, "Note to the user: parallel_map needs forward input iterators (not single-pass ones).");
    static_assert(detail::is_forward_v<OutputIt>,
                  "Note to the user: parallel_map writes its output from several threads, so `out` must be a forward iterator "
                  "such as a vector's begin(), not an output-only iterator like std::back_inserter.");
    if constexpr (!detail::is_forward_v<InputIt> || !detail::is_forward_v<OutputIt>) {
        return out;  // only the messages above
    } else if constexpr (detail::moves_data_v<Policy>) {
        return detail::backend<Policy>::run_map_into(policy, first, last, out, f);
    } else if constexpr (!detail::check_callable<InputIt, F>() || !detail::check_result<InputIt, F>()) {
        return out;
    } else {
        detail::check_options(policy);
        const std::size_t n = static_cast<std::size_t>(std::distance(first, last));
        detail::element_source<InputIt> in(first, n);
        if constexpr (detail::guarded_v<Policy>) {
            return detail::guarded_into<detail::result_t<InputIt, F>>(policy, n, in, f, out);
        } else if constexpr (std::is_reference_v<typename std::iterator_traits<OutputIt>::reference>) {
            detail::element_source<OutputIt> dst(out, n);
            detail::map_elements(policy, n, in, dst, f);
            return std::next(out, static_cast<typename std::iterator_traits<OutputIt>::difference_type>(n));
        } else {
            // A proxy reference (std::vector<bool>'s packed bits) cannot be written from several threads:
            // compute in parallel, then store in order on this thread.
            using R = detail::result_t<InputIt, F>;
            std::vector<R> staged = detail::map_to_vector<R>(policy, n, in, f);
            return std::move(staged.begin(), staged.end(), out);
        }
    }
}

/// @brief Calls f(i) for every i in [0, n), in parallel as `policy` says.
/// @code parmap::parallel_for(parmap::threads, n, [&](std::size_t i) { y[i] = 2 * x[i]; }); @endcode
template <class Policy, class F, std::enable_if_t<is_policy_v<Policy>, int> = 0>
void parallel_for(const Policy& policy, std::size_t n, F&& f) {
    static_assert(std::is_invocable_v<F&, std::size_t>, "Note to the user: parallel_for calls f(std::size_t i).");
    if constexpr (!std::is_invocable_v<F&, std::size_t>) {
        return;  // only the message above
    } else if constexpr (detail::moves_data_v<Policy>) {
        detail::backend<Policy>::run_for(policy, n, f);
    } else if constexpr (detail::guarded_v<Policy>) {
        detail::check_options(policy);
        detail::guarded_for(policy, n, f);
    } else {
        detail::check_options(policy);
        auto body = [&f](std::size_t begin, std::size_t end) {
            PARMAP_DETAIL_UNROLLED
            for (std::size_t i = begin; i < end; ++i) f(i);
        };
        detail::run_chunks(policy, n, body);
    }
}

/// @brief parallel_for with the default policy.
template <class F>
void parallel_for(std::size_t n, F&& f) {
    parallel_for(default_policy(), n, std::forward<F>(f));
}

namespace detail {

template <class Policy, class Range, class F, class T, class Op>
T map_reduce_range(const Policy& policy, Range& input, F& f, T init, Op& op) {
    if constexpr (!check_input<Range, F>()) {
        return init;  // only the messages above
    } else if constexpr (!check_reduction<begin_t<Range>, F, T, Op>()) {
        return init;
    } else if constexpr (guarded_v<Policy>) {
        return guarded_reduce(policy, input, f, init, op);
    } else {
        using It = begin_t<Range>;
        check_options(policy);
        const std::size_t n = range_size(input);
        element_source<It> in(std::begin(input), n);
        const std::size_t block = reduce_block_size(n);
        std::vector<std::optional<T>> partial(ceil_div(n, block));
        auto element = [&](std::size_t i) -> decltype(auto) { return call_element<It>(f, in[i]); };
        auto body = [&](std::size_t begin, std::size_t end) {
            for (std::size_t first = begin; first < end; first += block) {
                partial[first / block].emplace(reduce_block<T>(element, op, first, std::min(end, first + block)));
            }
        };
        run_chunks(policy, n, body, block);  // also for n == 0: progress (0, 0) and the stop check
        if (n == 0) return init;
        reduce_tree<T, Op> tree(op, partial.size());
        for (std::optional<T>& value : partial) tree.push(std::move(*value));
        return op(std::move(init), std::move(tree).result());
    }
}

} // namespace detail

/// @brief Returns op(init, f(x_0) op f(x_1) op ... op f(x_{n-1})), computed in parallel and bitwise the same on
/// every backend and worker count: the input is cut into blocks whose boundaries depend only on n, each
/// block is reduced left to right, and the block results are combined in a fixed pairwise tree.
/// `op` must be associative (it need not be commutative); the result type is T, the type of init.
/// @code double sum = parmap::parallel_map_reduce(parmap::threads, xs, square, 0.0, std::plus<>{}); @endcode
template <class Policy, class Range, class F, class T, class Op, std::enable_if_t<is_policy_v<Policy>, int> = 0>
T parallel_map_reduce(const Policy& policy, Range&& input, F&& f, T init, Op op) {
    if constexpr (detail::adapted_v<Range>) {
        return parallel_map_reduce(policy, detail::adapter_t<Range>::elements(input), f, std::move(init), std::move(op));
    } else if constexpr (detail::moves_data_v<Policy>) {
        return detail::backend<Policy>::run_map_reduce(policy, input, f, std::move(init), op);
    } else {
        return detail::map_reduce_range(policy, input, f, std::move(init), op);
    }
}

/// @brief parallel_map_reduce with the default policy.
template <class Range, class F, class T, class Op, std::enable_if_t<!is_policy_v<Range>, int> = 0>
T parallel_map_reduce(Range&& input, F&& f, T init, Op op) {
    return parallel_map_reduce(default_policy(), std::forward<Range>(input), std::forward<F>(f), std::move(init), std::move(op));
}

} // namespace parmap
