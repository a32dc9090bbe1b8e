// parmap backend: Thrust, a backend that moves data, with the same four entry points as backend/mpi.hpp.
// Host inputs are copied to the device (read in place on the CPU systems, whose device memory is host
// memory), f runs in Thrust launches between which stop and progress act, and the results come back to
// the host unless the input lives on the device. Launches and their functors are in
// detail/device_launch.hpp, inputs and device memory in detail/device_memory.hpp; the public API is
// <parmap/thrust.hpp>.
#pragma once

#include <parmap/detail/device_launch.hpp>
#include <parmap/detail/device_memory.hpp>
#include <parmap/parallel_map.hpp>

#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

struct CUstream_st;  // CUDA's stream type: cudaStream_t is CUstream_st*, so .on(stream) needs no CUDA header

namespace parmap {

/// @brief The Thrust backend's tag, with its own option: the CUDA stream set by `.on(stream)`.
struct thrust_backend {
    CUstream_st* stream = nullptr;  ///< the stream a call runs on (nvcc builds); nullptr = the default stream
};

namespace detail {

/// `.on(stream)`: parmap::thrust runs on that CUDA stream (nvcc builds), after what it already holds.
template <>
struct on_target<CUstream_st*> {
    template <class Backend>
    static constexpr bool applies_to() {
        static_assert(std::is_same_v<Backend, thrust_backend>,
                      "Note to the user: .on(stream) chooses a CUDA stream, so it applies to parmap::thrust only.");
        return std::is_same_v<Backend, thrust_backend>;
    }
    static void set(thrust_backend& options, CUstream_st* stream) noexcept { options.stream = stream; }
};

/// `.on(nullptr)`: the default stream, as `.on(cudaStream_t{})`.
template <>
struct on_target<std::nullptr_t> : on_target<CUstream_st*> {};

/// True when f can be called on the device with the input's values and returns a value; else the first
/// error says which does not hold.
template <class Values, class F>
constexpr bool check_device_callable() {
    using Fn = device_function_t<F>;
    static_assert(Values::template invocable<Fn>,
                  "Note to the user: f cannot be called with an element of the input. parmap::thrust calls f as a "
                  "const function object with copies of the element's values (one argument per range of a parmap::zip).");
    if constexpr (Values::template invocable<Fn>) {
        return check_value_result<typename Values::template result<Fn>>();
    }
    return false;
}

/// f over a range: a thrust::device_vector<R> when the input lives on the device, else a std::vector<R>.
template <class R, class Policy, class Range, class F>
auto device_map_range(const Policy& p, Range& input, const F& f) {
    using source = device_source<Range>;
    using values = typename source::values;
    const std::size_t n = range_size(input);
    source src(input);
    using It = decltype(src.begin());
    if constexpr (source::on_device) {
        ::thrust::device_vector<R> out(n);
        device_map<It, values>(p, n, src.begin(), f, out.begin(), device_pieces_sync(p, false));
        return out;
    } else if constexpr (!PARMAP_THRUST_CUDA && !std::is_same_v<R, bool>) {
        std::vector<R> out(n);  // the CPU systems' device memory is host memory: write the results in place
        device_map<It, values>(p, n, src.begin(), f, out.data(), true);
        return out;
    } else {
        device_buffer<R> out(n);
        device_map<It, values>(p, n, src.begin(), f, out.data(), true);
        return out.to_host();
    }
}

/// Calls run(in) with a device-readable iterator over [first, last): device iterators as they are, host
/// ones copied to the device (contiguous ones as bytes).
template <class InputIt, class Run>
void with_device_input(InputIt first, InputIt last, std::size_t n, Run&& run) {
    if constexpr (is_device_iterator_v<InputIt>) {
        run(device_iterator(first));
    } else if constexpr (is_contiguous_host_v<InputIt>) {
        host_span<host_value_t<InputIt>> span{n != 0 ? &*first : nullptr, n};
        device_source<host_span<host_value_t<InputIt>>> src(span);
        run(src.begin());
    } else {
        iterator_range<InputIt> range{first, last};
        device_source<iterator_range<InputIt>> src(range);
        run(src.begin());
    }
}

/// Writes f of the n elements at `in` (device-readable) to `out`: in place for device iterators and, on
/// the CPU systems, for contiguous host memory; otherwise through device memory copied back.
template <class R, class Values, class Policy, class In, class OutputIt, class F>
void device_map_to(const Policy& p, std::size_t n, In in, OutputIt out, const F& f) {
    constexpr bool device_out = is_device_iterator_v<OutputIt>;
    const bool sync = device_pieces_sync(p, !device_out);
    if constexpr (device_out) {
        device_map<In, Values>(p, n, in, f, device_iterator(out), sync);
    } else if constexpr (!PARMAP_THRUST_CUDA && is_contiguous_host_v<OutputIt>) {
        host_value_t<OutputIt>* to = n != 0 ? &*out : nullptr;  // the CPU systems: host memory, in place
        device_map<In, Values>(p, n, in, f, to, sync);
    } else {
        device_buffer<R> results(n);
        device_map<In, Values>(p, n, in, f, results.data(), sync);
        std::vector<R> host = results.to_host();
        std::move(host.begin(), host.end(), out);
    }
}

/// The reduction: each block reduced left to right on the device, the block results combined on the host
/// in the core's fixed tree, so the bits are the serial backend's.
template <class Policy, class Range, class F, class T, class Op>
T device_map_reduce(const Policy& p, Range& input, const F& f, T init, Op& op) {
    using source = device_source<Range>;
    const std::size_t n = range_size(input);
    const std::size_t block = reduce_block_size(n);
    source src(input);
    device_buffer<T> partial(ceil_div(n, block));
    error_sink sink;
    using reducer = block_reducer<decltype(src.begin()), device_function_t<F>, device_function_t<Op>, typename source::values, T>;
    const reducer reduce{src.begin(), to_device_function(f), to_device_function(op), n, block, &sink};
    auto launch = [&](std::size_t begin, std::size_t end) {  // element indices, multiples of `block`
        const std::size_t b = begin / block, e = ceil_div(end, block);
        ::thrust::transform(device_exec(p), index(b), index(e), partial.data() + b, reduce);
        sink.rethrow();
    };
    run_device_pieces(p, n, launch, block);  // also for n == 0: progress (0, 0) and the stop check
    if (n == 0) return init;
    std::vector<T> blocks = partial.to_host();
    reduce_tree<T, Op> tree(op, blocks.size());
    for (auto&& value : blocks) tree.push(T(std::move(value)));  // auto: std::vector<bool> has proxies
    return op(std::move(init), std::move(tree).result());
}

/// parmap::thrust's entry points, which the front-ends in parallel_map.hpp call.
template <class Progress>
struct backend<policy<thrust_backend, Progress>> {
    using policy_type = policy<thrust_backend, Progress>;
    static constexpr bool moves_data = true;

    /// parallel_map: a std::vector<R> for host inputs, a thrust::device_vector<R> when the input (or a
    /// zipped range) is a thrust::device_vector. R must be trivially copyable.
    template <class Range, class F>
    static auto run_map(const policy_type& p, Range& input, F& f) {
        using values = typename device_source<Range>::values;
        if constexpr (check_device_callable<values, F>()) {  // else: only the messages of the checks
            using R = typename values::template result<device_function_t<F>>;
            if constexpr (check_device_result<R>()) return device_run(p, [&] { return device_map_range<R>(p, input, f); });
        }
    }

    /// The iterator form: host iterators are copied in and out; device iterators (a device_vector's begin(),
    /// a device_ptr, a thrust::zip_iterator, whose tuple f receives as separate arguments) are read and
    /// written where they are.
    template <class InputIt, class OutputIt, class F>
    static OutputIt run_map_into(const policy_type& p, InputIt first, InputIt last, OutputIt out, F& f) {
        using values = typename arguments_of<typename std::iterator_traits<InputIt>::value_type>::type;
        if constexpr (!check_device_callable<values, F>()) {
            return out;  // only the messages of the checks
        } else if constexpr (!check_device_result<typename values::template result<device_function_t<F>>>()) {
            return out;
        } else {
            using R = typename values::template result<device_function_t<F>>;
            return device_run(p, [&] {
                const std::size_t n = static_cast<std::size_t>(std::distance(first, last));
                with_device_input(first, last, n, [&](auto in) { device_map_to<R, values>(p, n, in, out, f); });
                return std::next(out, static_cast<typename std::iterator_traits<OutputIt>::difference_type>(n));
            });
        }
    }

    /// parallel_for: f(i) for i in [0, n) on the device.
    template <class F>
    static void run_for(const policy_type& p, std::size_t n, F& f) {
        using Fn = device_function_t<F>;
        static_assert(std::is_invocable_v<const Fn&, std::size_t>,
                      "Note to the user: parallel_for calls f(std::size_t i) as a const function object.");
        if constexpr (std::is_invocable_v<const Fn&, std::size_t>) {
            device_run(p, [&] {
                error_sink sink;
                const for_element<Fn> element{to_device_function(f), &sink};
                auto launch = [&](std::size_t begin, std::size_t end) {
                    ::thrust::for_each(device_exec(p), index(begin), index(end), element);
                    sink.rethrow();
                };
                run_device_pieces(p, n, launch);
            });
        }
    }

    /// parallel_map_reduce with the serial backend's bits. T must be trivially copyable; op must be callable
    /// on the device (the standard function objects are).
    template <class Range, class F, class T, class Op>
    static T run_map_reduce(const policy_type& p, Range& input, F& f, T init, Op& op) {
        using values = typename device_source<Range>::values;
        if constexpr (!check_device_callable<values, F>() || !check_device_result<T>()) {
            return init;  // only the messages of the checks
        } else {
            return device_run(p, [&] { return device_map_reduce(p, input, f, std::move(init), op); });
        }
    }
};

} // namespace detail
} // namespace parmap
