// parmap::thrust's launches: where a call runs (the device check, the execution policy and its stream,
// the OpenMP team of the CPU system), how CUDA errors become parmap::device_error, how f's exceptions are
// kept on the CPU systems, the pieces between which stop and progress act, and the functors that Thrust
// runs for each element or reduction block. Inputs and device memory are in detail/device_memory.hpp, the
// calls of f and op in detail/device_functions.hpp; backend/thrust.hpp puts them together.
#pragma once

#include <parmap/detail/device_functions.hpp>
#include <parmap/detail/job.hpp>
#include <parmap/detail/reduce_tree.hpp>
#include <parmap/detail/thrust_config.hpp>
#include <parmap/device.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <cstddef>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

namespace parmap::detail {

// ---- where the call runs --------------------------------------------------------------------------

/// Throws device_error once per process when there is no usable CUDA device (CUDA builds only).
inline void require_device() {
#if PARMAP_THRUST_CUDA
    static const cudaError_t status = [] {
        int count = 0;
        cudaError_t e = cudaGetDeviceCount(&count);
        return e == cudaSuccess && count == 0 ? cudaErrorNoDevice : e;
    }();
    if (status != cudaSuccess) {
        throw device_error(std::string("parmap::thrust: no CUDA device: ") + cudaGetErrorString(status) +
                           " (this program was built for the GPU; use a CPU backend on this machine)");
    }
#endif
}

/// Runs `run()`, turning Thrust's CUDA errors into parmap::device_error.
template <class Run>
decltype(auto) device_call(Run&& run) {
#if PARMAP_THRUST_CUDA
    try {
        return run();
    } catch (const ::thrust::system::detail::bad_alloc& e) {
        throw device_error(std::string("parmap::thrust: out of device memory: ") + e.what());
    } catch (const ::thrust::system_error& e) {
        throw device_error(std::string("parmap::thrust: the device failed: ") + e.what());
    }
#else
    return run();
#endif
}

/// The Thrust execution policy of a call: the policy's stream under CUDA (Sync: wait for the work
/// before returning; otherwise stream order only), the device system's own elsewhere.
template <bool Sync = true, class Policy>
auto device_exec(const Policy& p) {
#if PARMAP_THRUST_CUDA
    if constexpr (Sync) {
        return ::thrust::cuda::par.on(p.backend_options().stream);
    } else {
        return ::thrust::cuda::par_nosync.on(p.backend_options().stream);
    }
#else
    (void)p;
    return ::thrust::device;
#endif
}

/// .workers(n) on OpenMP's device system: the calling thread's OpenMP thread count for the call.
class device_threads_scope {
public:
    explicit device_threads_scope(std::size_t workers) noexcept {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
        if (workers != 0) {
            saved_ = omp_get_max_threads();
            omp_set_num_threads(static_cast<int>(workers));
        }
#else
        (void)workers;
#endif
    }
    ~device_threads_scope() {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
        if (saved_ != 0) omp_set_num_threads(saved_);
#endif
    }
    device_threads_scope(const device_threads_scope&) = delete;
    device_threads_scope& operator=(const device_threads_scope&) = delete;

private:
    int saved_ = 0;
};

/// Runs one call's `run()`: checks its options and the device, gives the CPU system's OpenMP team the
/// policy's .workers(n) for the call, and turns CUDA errors into parmap::device_error.
template <class Policy, class Run>
decltype(auto) device_run(const Policy& p, Run&& run) {
    check_options(p);
    require_device();
    device_threads_scope team(p.options().workers);
    return device_call(std::forward<Run>(run));
}

/// Runs launch(begin, end) over [0, n) in pieces whose boundaries are multiples of `align`, with the
/// core's rules for stop and progress. Without either, one piece: a single launch.
template <class Policy, class Launch>
void run_device_pieces(const Policy& p, std::size_t n, Launch& launch, std::size_t align = 1) {
    constexpr std::size_t pieces = 16;  // stop and progress are checked between pieces
    chunk_schedule schedule(n, chunks::dynamic(std::max<std::size_t>(ceil_div(n, pieces), 1)), 1, align);
    job_control<typename Policy::progress_type> control(n, p.options(), p.progress_option());
    control.run_alone(schedule, launch);
}

// ---- f's exceptions on host device systems ---------------------------------------------------------

/// Host device systems (OpenMP, C++) run f on host threads, where it may throw: the exception of the
/// lowest element index is kept and rethrown after the launch. Device code cannot throw.
using error_sink = first_error;

// ---- what Thrust runs -----------------------------------------------------------------------------

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

/// Whether each piece waits for its launch: when results go to the host, or stop or progress need it done.
template <class Policy>
bool device_pieces_sync(const Policy& p, bool results_on_host) {
    return results_on_host || !std::is_same_v<typename Policy::progress_type, no_progress> || p.options().stop.stop_possible();
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
template <class It, class Values, class Policy, class F, class Out>
void device_map(const Policy& p, std::size_t n, It in, const F& f, Out out, bool sync) {
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

} // namespace parmap::detail
