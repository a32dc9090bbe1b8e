// parmap: execution policies. A policy is a value whose type names the backend, so the choice of
// backend is made at compile time; its options are set fluently and each setter returns a new policy.
//
//   auto p = parmap::threads.workers(4).chunk(parmap::chunks::dynamic(64));
//   auto ys = parmap::parallel_map(p, xs, f);
#pragma once

#include <parmap/errors.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace parmap {

namespace detail {
/// The most threads one call or one pool may have: a guard against a mistyped .workers(n), not a tuning knob.
inline constexpr std::size_t max_threads = 4096;
} // namespace detail

/// @brief How a call cuts its index space [0, n) into chunks. Each option means the same on every backend.
namespace chunks {

/// @brief The kinds of chunking; see the factory functions below for what each does.
enum class kind : unsigned char { automatic, static_, dynamic, guided };

/// @brief Default grain of automatic chunking: inputs of at most this many elements start inline in the caller.
inline constexpr std::size_t default_grain = 2048;

/// @brief A chunking choice: a kind and its size parameter (elements). The default is automatic().
struct chunking {
    kind how = kind::automatic;
    std::size_t size = default_grain;
    bool timed = true;  ///< automatic(): small inputs are timed, and shared when their elements are expensive
};

/// @brief The default. Inputs of at most 2048 elements start inline on the caller, which times its first
/// elements: cheap ones finish there (no hand-off costs less), expensive ones (about 30 us or more in all)
/// are shared among the workers after all. Larger inputs are cut into about
/// eight chunks per worker that workers claim as they go.
constexpr chunking automatic() noexcept { return {kind::automatic, default_grain, true}; }

/// @brief Like automatic(), but inputs of at most `grain` elements always run inline on the caller, untimed.
/// For few but expensive elements (files, simulations) pass a small grain, or use dynamic(1).
constexpr chunking automatic(std::size_t grain) noexcept { return {kind::automatic, grain, false}; }

/// @brief Fixed assignment decided before the run, like OpenMP's schedule(static, size):
/// size 0 gives each worker one contiguous block of near-equal length; size k > 0 deals chunks of k
/// elements to the workers round-robin (chunk c to worker slot c % workers).
constexpr chunking static_(std::size_t size = 0) noexcept { return {kind::static_, size, false}; }

/// @brief Chunks of `size` elements claimed on demand by whichever worker is free, like schedule(dynamic, size).
constexpr chunking dynamic(std::size_t size = 1) noexcept { return {kind::dynamic, size == 0 ? 1 : size, false}; }

/// @brief Chunks claimed on demand whose size shrinks with the work left (remaining / (2 x workers)),
/// never below `min_size`, like schedule(guided, min_size).
constexpr chunking guided(std::size_t min_size = 1) noexcept { return {kind::guided, min_size == 0 ? 1 : min_size, false}; }

} // namespace chunks

/// @brief Thrown by a call whose stop token was signalled while it ran; nothing it would have returned is kept.
class cancelled : public std::runtime_error {
public:
    cancelled() : std::runtime_error("parmap: the call was stopped through its stop token") {}
};

/// @brief Observes a stop_source: a call given `.stop(token)` checks it between chunks.
class stop_token {
public:
    stop_token() noexcept = default;
    /// @brief True once the source has been asked to stop.
    bool stop_requested() const noexcept { return state_ && state_->load(std::memory_order_relaxed); }
    /// @brief False for a default-constructed token, which can never be stopped.
    bool stop_possible() const noexcept { return static_cast<bool>(state_); }

private:
    friend class stop_source;
    explicit stop_token(std::shared_ptr<const std::atomic<bool>> state) noexcept : state_(std::move(state)) {}
    std::shared_ptr<const std::atomic<bool>> state_;
};

/// @brief The owner side of cooperative cancellation. request_stop() is safe from any thread,
/// from inside `f`, and from a signal handler (it is one lock-free atomic store).
class stop_source {
public:
    stop_source() : state_(std::make_shared<std::atomic<bool>>(false)) {}
    /// @brief Asks every call watching this source's tokens to stop.
    void request_stop() const noexcept { state_->store(true, std::memory_order_relaxed); }
    /// @brief True once request_stop() was called.
    bool stop_requested() const noexcept { return state_->load(std::memory_order_relaxed); }
    /// @brief A token to hand to `.stop(...)`.
    stop_token token() const noexcept { return stop_token(state_); }

private:
    std::shared_ptr<std::atomic<bool>> state_;
};

/// @brief The progress option's placeholder when no callback was given: costs nothing.
struct no_progress {};

/// @brief A progress callback `void(std::size_t done, std::size_t total)` and how often it may be called.
template <class Callback>
struct progress_callback {
    Callback callback;
    std::chrono::nanoseconds interval;
};

/// @brief Options every policy carries, whatever its backend.
struct policy_options {
    std::size_t workers = 0;           ///< threads that run a call, the caller included; 0 = the backend's default
    chunks::chunking chunking{};       ///< how the index space is cut
    stop_token stop{};                 ///< checked between chunks
    std::size_t buffer = 0;            ///< imap: elements taken from the input and not yet consumed, at most; 0 = imap's default
};

namespace detail {

/// What `.on(target)` does, found where it is called: the header of the backend that runs on `Target`
/// specialises this (backend/threads.hpp for parmap::thread_pool, backend/thrust.hpp for CUDA streams)
/// with applies_to<Backend>(), false with a note for the user on other backends, and set(options, target).
template <class Target>
struct on_target {
    template <class Backend>
    static constexpr bool applies_to() {
        static_assert(!std::is_same_v<Target, Target>,
                      "Note to the user: no parmap backend runs on an object of this type: .on(x) takes what the "
                      "backend's header says (parmap::threads: a parmap::thread_pool; parmap::thrust: a CUDA stream).");
        return false;
    }
};

} // namespace detail

struct thrust_backend;  // <parmap/backend/thrust.hpp>: named here for the error options' notes and configurations.hpp

/// @brief An execution policy: `Backend` is the backend's tag, which picks it at compile time and holds its
/// own options (threads_backend::pool, thrust_backend::stream); `Progress` is the progress option's type
/// (no_progress unless `.progress(cb)` was called), `Errors` the error option's (errors.hpp).
template <class Backend, class Progress = no_progress, class Errors = detail::default_errors>
class policy {
public:
    using backend_type = Backend;
    using progress_type = Progress;
    using errors_type = Errors;

    policy() = default;
    policy(const policy_options& options, const Backend& backend, Progress progress, Errors errors = {})
        : options_(options), backend_(backend), progress_(std::move(progress)), errors_(std::move(errors)) {}

    /// @brief Run on `n` threads, the caller included (n >= 1; 0 restores the default).
    policy workers(std::size_t n) const { return with([n](policy_options& o) { o.workers = n; }); }

    /// @brief Cut the work as `c` says, e.g. `.chunk(parmap::chunks::dynamic(64))`.
    policy chunk(chunks::chunking c) const { return with([c](policy_options& o) { o.chunking = c; }); }

    /// @brief Run on `target`, as the backend's header says: `.on(pool)` runs parmap::threads on a
    /// parmap::thread_pool instead of parmap::default_pool(), `.on(stream)` runs parmap::thrust on a CUDA
    /// stream (nvcc builds), after what the stream already holds. The target must outlive the calls.
    template <class Target>
    policy on(Target&& target) const {
        using option = detail::on_target<std::remove_cv_t<std::remove_reference_t<Target>>>;
        policy copy = *this;
        if constexpr (option::template applies_to<Backend>()) option::set(copy.backend_, target);  // else: only the note
        return copy;
    }

    /// @brief imap and imap_unordered: at most `k` elements taken from the input and not yet handed to the
    /// consumer, results waiting included (k >= 1; 0 restores the default, 4 grabs per worker; see imap.hpp).
    policy buffer(std::size_t k) const { return with([k](policy_options& o) { o.buffer = k; }); }

    /// @brief Check `token` between chunks; a call that sees it signalled throws parmap::cancelled.
    policy stop(stop_token token) const { return with([&token](policy_options& o) { o.stop = std::move(token); }); }

    /// @brief Call `cb(done, total)` on the calling thread at most once per `every` while the call runs,
    /// and once with done == total when it completes.
    template <class Callback>
    policy<Backend, progress_callback<std::decay_t<Callback>>, Errors>
    progress(Callback&& cb, std::chrono::nanoseconds every = std::chrono::milliseconds(100)) const {
        static_assert(std::is_invocable_v<const std::decay_t<Callback>&, std::size_t, std::size_t>,
                      "Note to the user: a progress callback is called as cb(std::size_t done, std::size_t total) "
                      "through a const reference (a lambda must not be `mutable`).");
        return {options_, backend_, progress_callback<std::decay_t<Callback>>{std::forward<Callback>(cb), every}, errors_};
    }

    /// @brief What a failing element does: on_error::fail_fast (the default), collect or as_values (errors.hpp).
    template <class Mode>
    policy<Backend, Progress, error_options<Mode, typename Errors::retry_type>> errors(Mode) const {
        static_assert(detail::is_error_mode_v<Mode>,
                      "Note to the user: .errors(...) takes parmap::on_error::fail_fast, collect or as_values.");
        static_assert(!std::is_same_v<Backend, thrust_backend> || std::is_same_v<Mode, on_error::fail_fast_t>,
                      "Note to the user: parmap::thrust runs f in device code, which cannot throw, so only "
                      "on_error::fail_fast applies: return an error code in f's result instead (a struct with the "
                      "value and a status) and check it after the call.");
        return {options_, backend_, progress_, {errors_.max_errors, errors_.retries, errors_.retry_if}};
    }

    /// @brief Under collect or as_values: once `k` elements have failed (k >= 1), stop as fail_fast does
    /// and throw parmap::errors with the failures so far.
    policy max_errors(std::size_t k) const {
        policy copy = *this;
        copy.errors_.max_errors = k;
        return copy;
    }

    /// @brief An element whose f throws an exception e with `pred(e)` runs again, up to `n` more times
    /// (n <= 1000); parmap::attempt() tells f which attempt it is. Only the last attempt's exception counts,
    /// so f must be idempotent; pred, like f, may be called from several threads at once.
    template <class Pred>
    policy<Backend, Progress, error_options<typename Errors::mode, std::decay_t<Pred>>> retries(std::size_t n, Pred&& pred) const {
        static_assert(std::is_invocable_r_v<bool, const std::decay_t<Pred>&, const std::exception_ptr&>,
                      "Note to the user: .retries(n, pred) calls pred(const std::exception_ptr&) -> bool.");
        static_assert(!std::is_same_v<Backend, thrust_backend>,
                      "Note to the user: parmap::thrust runs f in device code, which cannot throw, so there is nothing "
                      "to retry: return an error code in f's result instead and run the failed elements again.");
        return {options_, backend_, progress_, {errors_.max_errors, n, std::forward<Pred>(pred)}};
    }

    /// @brief The options this policy carries.
    const policy_options& options() const noexcept { return options_; }
    /// @brief The backend's own options: the members of its tag.
    const Backend& backend_options() const noexcept { return backend_; }
    /// @brief The progress option (no_progress when none was given).
    const Progress& progress_option() const noexcept { return progress_; }
    /// @brief The error option (detail::default_errors when none was given).
    const Errors& error_option() const noexcept { return errors_; }

private:
    template <class Set>
    policy with(Set set) const {
        policy copy = *this;
        set(copy.options_);
        return copy;
    }

    policy_options options_{};
    Backend backend_{};
    Progress progress_{};
    Errors errors_{};
};

/// @brief True for parmap::policy types.
template <class T>
struct is_policy : std::false_type {};
template <class Backend, class Progress, class Errors>
struct is_policy<policy<Backend, Progress, Errors>> : std::true_type {};
template <class T>
inline constexpr bool is_policy_v = is_policy<std::remove_cv_t<std::remove_reference_t<T>>>::value;

namespace detail {

/// Throws std::invalid_argument for options no call can honour (every front-end checks before it starts).
template <class Policy>
void check_options(const Policy& policy) {
    if (policy.options().workers > max_threads) {
        throw std::invalid_argument("parmap: .workers(" + std::to_string(policy.options().workers) + ") asks for more than " +
                                    std::to_string(max_threads) + " threads");
    }
}

} // namespace detail

} // namespace parmap
