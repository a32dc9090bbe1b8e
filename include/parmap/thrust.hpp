// parmap::thrust: the same parallel_map, parallel_for and parallel_map_reduce through Thrust. Compiled by
// nvcc it runs on the GPU; compiled by g++ or clang it runs on Thrust's OpenMP system (its C++ system
// without OpenMP), so the same code is tested on any machine. Use the CCCL of the CUDA toolkit (CMake:
// link parmap::thrust), not an older Thrust from the system's include path.
//
//   #include <parmap/thrust.hpp>
//   auto per_mile = parmap::parallel_map(parmap::thrust, parmap::zip(tips, miles),
//                                        [] PARMAP_HD (float t, float m) { return t / m; });   // std::vector<float>
//   thrust::device_vector<float> d = ...;
//   auto on_gpu = parmap::parallel_map(parmap::thrust, d, square);                          // a device_vector
//
// Host ranges are copied to the device and the results copied back; thrust::device_vector inputs (alone
// or zipped) stay there and give a thrust::device_vector. Under nvcc, f and op must be callable on the
// device (PARMAP_HD, or a lambda marked so with --extended-lambda); the standard function objects
// (std::plus<>, std::divides<>, ...) work as they are. Device code cannot throw: on the GPU, f must not
// throw; on the CPU systems an exception from f reaches the caller as on every CPU backend. CUDA errors
// (no device, out of memory, a failed launch) throw parmap::device_error.
#pragma once

#include <parmap/backend/thrust.hpp>
#include <parmap/parallel_map.hpp>

#include <cstddef>
#include <iterator>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap {

/// @brief Runs through Thrust: on the GPU under nvcc, on Thrust's OpenMP (or C++) system elsewhere.
/// Options: .workers(n) (OpenMP threads on the CPU system), .on(stream) (CUDA), .progress, .stop
/// (both checked between 16 launches instead of one). Chunk options are Thrust's business and are ignored.
inline const policy<thrust_backend> thrust{};

namespace detail {

/// result[i] = f(in[i]) for element indices i; on the CPU systems f's exceptions go to the sink.
template <class It, class Fn, class Values, class R>
struct map_element {
    It in;
    Fn fn;
    error_sink* sink;

    PARMAP_HD R operator()(std::size_t i) const {
#if PARMAP_THRUST_CUDA
        return Values::call(fn, in[static_cast<std::ptrdiff_t>(i)]);
#else
        try {
            return Values::call(fn, in[static_cast<std::ptrdiff_t>(i)]);
        } catch (...) {
            sink->fail(i, std::current_exception());
            return R{};
        }
#endif
    }
};

PARMAP_DEVICE_CALLS_BEGIN
/// f(i) for indices i.
template <class Fn>
struct for_element {
    Fn fn;
    error_sink* sink;

    PARMAP_HD void operator()(std::size_t i) const {
#if PARMAP_THRUST_CUDA
        const Fn& f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda = fn;  // nvcc prints this line
        f_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_an_extended_lambda(i);
#else
        try {
            fn(i);
        } catch (...) {
            sink->fail(i, std::current_exception());
        }
#endif
    }
};

/// The result of reduction block b: f of its elements combined left to right, as on every backend.
template <class It, class Fn, class Op, class Values, class T>
struct block_reducer {
    It in;
    Fn fn;
    Op op;
    std::size_t n;
    std::size_t block;
    error_sink* sink;

    PARMAP_HD T operator()(std::size_t b) const {
        const std::size_t first = b * block;
        const std::size_t last = n - first < block ? n : first + block;
#if PARMAP_THRUST_CUDA
        return combine(first, last);
#else
        try {
            return combine(first, last);
        } catch (...) {
            sink->fail(first, std::current_exception());  // blocks run whole, so the block's start orders them
            return T{};
        }
#endif
    }

    PARMAP_HD T combine(std::size_t first, std::size_t last) const {
        return reduce_block<T>(element_at{this}, combine_with{this}, first, last);
    }

    /// f of element i.
    struct element_at {
        const block_reducer* self;
        PARMAP_HD auto operator()(std::size_t i) const { return Values::call(self->fn, self->in[static_cast<std::ptrdiff_t>(i)]); }
    };

    /// op(acc, value), called where nvcc can say what to fix when op cannot run on the device.
    struct combine_with {
        const block_reducer* self;
        template <class V>
        PARMAP_HD T operator()(T&& acc, V&& value) const {
            const Op& op_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_a_std_function_object = self->op;  // nvcc prints this line
            return op_runs_on_the_device_so_mark_it_PARMAP_HD_or_use_a_std_function_object(static_cast<T&&>(acc), static_cast<V&&>(value));
        }
    };
};
PARMAP_DEVICE_CALLS_END

inline ::thrust::counting_iterator<std::size_t> index(std::size_t i) { return ::thrust::counting_iterator<std::size_t>(i); }

template <class Progress>
bool device_pieces_sync(const policy<thrust_backend, Progress>& p, bool results_on_host) {
    return results_on_host || !std::is_same_v<Progress, no_progress> || p.options().stop.stop_possible();
}

template <class R>
constexpr bool check_device_result() {
    static_assert(is_device_copyable_v<R> && std::is_default_constructible_v<R>,
                  "Note to the user: parmap::thrust keeps results in device memory, so f (or init, for "
                  "parallel_map_reduce) must give a trivially copyable, default-constructible type (numbers, structs "
                  "of numbers); parmap::is_device_copyable says which types are.");
    return is_device_copyable_v<R> && std::is_default_constructible_v<R>;
}

/// Writes f(in[i]) for i in [0, n) to out (device memory), in pieces; `sync`: wait for each launch.
template <class Progress, class It, class Values, class F, class Out>
void device_map(const policy<thrust_backend, Progress>& p, std::size_t n, It in, const F& f, Out out, bool sync) {
    using Fn = device_function_t<F>;
    using R = typename Values::template result<Fn>;
    error_sink sink;
    const map_element<It, Fn, Values, R> element{in, to_device_function(f), &sink};
    auto launch = [&](std::size_t begin, std::size_t end) {
        const auto first = index(begin), last = index(end);
        const auto to = out + static_cast<std::ptrdiff_t>(begin);
        if (sync) {
            ::thrust::transform(device_exec<true>(p), first, last, to, element);
        } else {
            ::thrust::transform(device_exec<false>(p), first, last, to, element);
        }
        sink.rethrow();
    };
    run_device_pieces(p, n, launch);
}

template <class Values, class F>
constexpr bool check_device_callable() {
    using Fn = device_function_t<F>;
    static_assert(Values::template invocable<Fn>,
                  "Note to the user: f cannot be called with an element of the input. parmap::thrust calls f as a "
                  "const function object with copies of the element's values (one argument per range of a parmap::zip).");
    if constexpr (Values::template invocable<Fn>) {
        static_assert(!std::is_void_v<typename Values::template result<Fn>>,
                      "Note to the user: f returns void, so there is nothing to collect: use parmap::parallel_for.");
        return !std::is_void_v<typename Values::template result<Fn>>;
    }
    return false;
}

template <class R, class Progress, class Range, class F>
auto thrust_map_checked(const policy<thrust_backend, Progress>& p, Range& input, const F& f) {
    using source = device_source<Range>;
    check_options(p);
    require_device();
    device_threads_scope team(p.options().workers);
    return device_call([&] {
        const std::size_t n = range_size(input);
        source src(input);
        using values = typename source::values;
        if constexpr (source::on_device) {
            ::thrust::device_vector<R> out(n);
            device_map<Progress, decltype(src.begin()), values>(p, n, src.begin(), f, out.begin(), device_pieces_sync(p, false));
            return out;
        } else if constexpr (!PARMAP_THRUST_CUDA && !std::is_same_v<R, bool>) {
            std::vector<R> out(n);  // the CPU systems' device memory is host memory: write the results in place
            device_map<Progress, decltype(src.begin()), values>(p, n, src.begin(), f, out.data(), true);
            return out;
        } else {
            device_buffer<R> out(n);
            device_map<Progress, decltype(src.begin()), values>(p, n, src.begin(), f, out.data(), true);
            return out.to_host();
        }
    });
}

template <class Progress, class Range, class F>
auto thrust_map(const policy<thrust_backend, Progress>& p, Range& input, const F& f) {
    using values = typename device_source<Range>::values;
    if constexpr (check_device_callable<values, F>()) {  // else: only the messages of the checks
        using R = typename values::template result<device_function_t<F>>;
        if constexpr (check_device_result<R>()) return thrust_map_checked<R>(p, input, f);
    }
}

template <class It>
inline constexpr bool is_device_iterator_v =
    std::is_convertible_v<typename ::thrust::iterator_system<It>::type, ::thrust::device_system_tag>;

template <class It>
struct is_zip_iterator : std::false_type {};
template <class Tuple>
struct is_zip_iterator<::thrust::zip_iterator<Tuple>> : std::true_type {};

/// A device iterator as what the functors index: contiguous device memory as a raw pointer (also inside a
/// zip_iterator), so that no element goes through a device_reference on the host.
template <class It>
auto device_iterator(It it);

template <class Zip, std::size_t... I>
auto device_zip_iterator(const Zip& zip, std::index_sequence<I...>) {
    return ::thrust::make_zip_iterator(device_iterator(::thrust::get<I>(zip.get_iterator_tuple()))...);
}

template <class It>
auto device_iterator(It it) {
    if constexpr (is_zip_iterator<It>::value) {
        return device_zip_iterator(it, std::make_index_sequence<::thrust::tuple_size<typename It::iterator_tuple>::value>{});
    } else if constexpr (::thrust::is_contiguous_iterator<It>::value && !std::is_pointer_v<It>) {
        return ::thrust::raw_pointer_cast(&*it);
    } else {
        return it;
    }
}

template <class It>
using host_value_t = std::remove_reference_t<typename std::iterator_traits<It>::reference>;

/// Host iterators over contiguous memory (pointers, std::vector's), except std::vector<bool>'s proxies.
template <class It>
inline constexpr bool is_contiguous_host_v = ::thrust::is_contiguous_iterator<It>::value && !is_device_iterator_v<It> &&
                                             std::is_reference_v<typename std::iterator_traits<It>::reference>;

/// Contiguous host elements as a range with data(), which device_source copies as bytes (or reads in place).
template <class T>
struct host_span {
    T* first;
    std::size_t n;
    T* data() const { return first; }
    T* begin() const { return first; }
    T* end() const { return first + n; }
    std::size_t size() const { return n; }
};

/// [first, last) as a range, for copying host iterators to the device.
template <class It>
struct iterator_range {
    It first, last;
    It begin() const { return first; }
    It end() const { return last; }
    std::size_t size() const { return static_cast<std::size_t>(std::distance(first, last)); }
};

template <class Progress, class InputIt, class OutputIt, class F>
OutputIt thrust_map_iterators(const policy<thrust_backend, Progress>& p, InputIt first, InputIt last, OutputIt out, const F& f) {
    using values = typename arguments_of<typename std::iterator_traits<InputIt>::value_type>::type;
    if constexpr (!check_device_callable<values, F>()) {
        return out;  // only the messages of the checks
    } else if constexpr (!check_device_result<typename values::template result<device_function_t<F>>>()) {
        return out;
    } else {
        using R = typename values::template result<device_function_t<F>>;
        check_options(p);
        require_device();
        device_threads_scope team(p.options().workers);
        return device_call([&] {
            const std::size_t n = static_cast<std::size_t>(std::distance(first, last));
            constexpr bool device_out = is_device_iterator_v<OutputIt>;
            const bool sync = device_pieces_sync(p, !device_out);
            auto run = [&](auto in) {
                using It = decltype(in);
                if constexpr (device_out) {
                    device_map<Progress, It, values>(p, n, in, f, device_iterator(out), sync);
                } else if constexpr (!PARMAP_THRUST_CUDA && is_contiguous_host_v<OutputIt>) {
                    host_value_t<OutputIt>* to = n != 0 ? &*out : nullptr;  // the CPU systems: host memory, in place
                    device_map<Progress, It, values>(p, n, in, f, to, sync);
                } else {
                    device_buffer<R> results(n);
                    device_map<Progress, It, values>(p, n, in, f, results.data(), sync);
                    std::vector<R> host = results.to_host();
                    std::move(host.begin(), host.end(), out);
                }
            };
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
            return std::next(out, static_cast<typename std::iterator_traits<OutputIt>::difference_type>(n));
        });
    }
}

template <class Progress, class Range, class F, class T, class Op>
T thrust_map_reduce(const policy<thrust_backend, Progress>& p, Range& input, const F& f, T init, Op& op) {
    using source = device_source<Range>;
    using values = typename source::values;
    using Fn = device_function_t<F>;
    if constexpr (!check_device_callable<values, F>() || !check_device_result<T>()) {
        return init;  // only the messages of the checks
    } else {
        check_options(p);
        require_device();
        device_threads_scope team(p.options().workers);
        return device_call([&] {
            const std::size_t n = range_size(input);
            const std::size_t block = reduce_block_size(n);
            source src(input);
            device_buffer<T> partial(ceil_div(n, block));
            error_sink sink;
            using It = decltype(src.begin());
            const block_reducer<It, Fn, device_function_t<Op>, values, T> reduce{src.begin(), to_device_function(f), to_device_function(op),
                                                                               n, block, &sink};
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
        });
    }
}

} // namespace detail

/// @brief parallel_map through Thrust: a std::vector<R> for host inputs, a thrust::device_vector<R> when
/// the input (or a zipped range) is a thrust::device_vector. R must be trivially copyable.
template <class Progress, class Range, class F>
auto parallel_map(const policy<thrust_backend, Progress>& policy, Range&& input, F&& f) {
    if constexpr (detail::adapted_v<Range>) {
        return detail::adapter_t<Range>::map(policy, input, f);
    } else {
        return detail::thrust_map(policy, input, f);
    }
}

/// @brief The iterator form through Thrust: host iterators are copied in and out; device iterators
/// (a device_vector's begin(), a device_ptr, a thrust::zip_iterator, whose tuple f receives as separate
/// arguments) are read and written where they are.
template <class Progress, class InputIt, class OutputIt, class F>
OutputIt parallel_map(const policy<thrust_backend, Progress>& policy, InputIt first, InputIt last, OutputIt out, F&& f) {
    static_assert(detail::is_forward_v<InputIt> && detail::is_forward_v<OutputIt>,
                  "Note to the user: parallel_map needs forward iterators (not single-pass ones, not a back_inserter).");
    return detail::thrust_map_iterators(policy, first, last, out, f);
}

/// @brief parallel_for through Thrust: f(i) for i in [0, n) on the device.
template <class Progress, class F>
void parallel_for(const policy<thrust_backend, Progress>& policy, std::size_t n, F&& f) {
    using Fn = detail::device_function_t<F>;
    static_assert(std::is_invocable_v<const Fn&, std::size_t>,
                  "Note to the user: parallel_for calls f(std::size_t i) as a const function object.");
    detail::check_options(policy);
    detail::require_device();
    detail::device_threads_scope team(policy.options().workers);
    detail::device_call([&] {
        detail::error_sink sink;
        const detail::for_element<Fn> element{detail::to_device_function(f), &sink};
        auto launch = [&](std::size_t begin, std::size_t end) {
            ::thrust::for_each(detail::device_exec(policy), detail::index(begin), detail::index(end), element);
            sink.rethrow();
        };
        detail::run_device_pieces(policy, n, launch);
    });
}

/// @brief parallel_map_reduce through Thrust, with the serial backend's bits: the same blocks, each
/// reduced left to right on the device, combined on the host in the same pairwise tree. T must be
/// trivially copyable; op must be callable on the device (the standard function objects are).
template <class Progress, class Range, class F, class T, class Op>
T parallel_map_reduce(const policy<thrust_backend, Progress>& policy, Range&& input, F&& f, T init, Op op) {
    if constexpr (detail::adapted_v<Range>) {
        return parallel_map_reduce(policy, detail::adapter_t<Range>::elements(input), f, std::move(init), std::move(op));
    } else {
        return detail::thrust_map_reduce(policy, input, f, std::move(init), op);
    }
}

} // namespace parmap

#include <parmap/detail/thrust_configurations.hpp>  // parmap::thrust in parmap::verify's list of configurations
