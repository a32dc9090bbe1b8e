// parmap: what a failing element does. A policy's `.errors(mode)` picks it at compile time (as_values
// changes what a call returns); `.max_errors(k)` and `.retries(n, pred)` refine it.
//
//   auto p = parmap::threads.errors(parmap::on_error::collect);      // run everything, then throw parmap::errors
//   std::vector<parmap::result<R>> rs = parmap::parallel_map(parmap::threads.errors(parmap::on_error::as_values), xs, f);
//   auto q = parmap::threads.retries(2, [](const std::exception_ptr&) { return true; });  // 2 more tries each
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <optional>
#include <utility>
#include <vector>

#if __has_include(<version>)
#include <version>
#endif
#if defined(__cpp_lib_expected)
#include <expected>
#endif

namespace parmap {

/// @brief The error modes, passed to a policy's `.errors(...)`.
namespace on_error {
/// @brief The default: the first failure stops the call and is rethrown (the lowest index among those thrown).
struct fail_fast_t {};
/// @brief Every element runs; afterwards, if any failed, the call throws parmap::errors listing them all.
struct collect_t {};
/// @brief Element errors never throw: the call returns parmap::result<R> per element.
struct as_values_t {};
inline constexpr fail_fast_t fail_fast{};
inline constexpr collect_t collect{};
inline constexpr as_values_t as_values{};
} // namespace on_error

/// @brief One failed element: its index in the input and what it threw (under parmap::mpi a
/// parmap::remote_error, the same on every rank, and the MPI rank that ran it).
struct failure {
    std::size_t index;
    std::exception_ptr exception;
    int rank = -1;  ///< the rank that ran the element under parmap::mpi; -1 elsewhere
};

/// @brief Thrown by a call under on_error::collect (or when `.max_errors(k)` is reached) whose elements failed.
class errors : public std::exception {
public:
    /// @brief `failures` in any order (kept sorted by index), out of `total` elements.
    errors(std::vector<failure> failures, std::size_t total) : failures_(std::move(failures)) {
        auto by_index = [](const failure& a, const failure& b) { return a.index < b.index; };
        if (!std::is_sorted(failures_.begin(), failures_.end(), by_index)) std::sort(failures_.begin(), failures_.end(), by_index);
        what_ = std::to_string(failures_.size()) + " of " + std::to_string(total) + " elements failed";
        if (!failures_.empty()) what_ += "; first at " + std::to_string(failures_.front().index) + ": " + message_of(failures_.front().exception);
    }
    /// @brief Every failure, sorted by index.
    const std::vector<failure>& failures() const noexcept { return failures_; }
    /// @brief "3 of 1000 elements failed; first at 17: <its message>".
    const char* what() const noexcept override { return what_.c_str(); }
    /// @brief Throws the lowest-index failure's own exception, so a caller can catch its original type.
    [[noreturn]] void rethrow_first() const {
        if (failures_.empty()) throw std::logic_error("parmap::errors::rethrow_first: no failures");
        std::rethrow_exception(failures_.front().exception);
    }

    /// @brief what() of the exception in `e`, or a note when it is not a std::exception.
    static std::string message_of(const std::exception_ptr& e) {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            return x.what();
        } catch (...) {
            return "an exception not derived from std::exception";
        }
    }

private:
    std::vector<failure> failures_;
    std::string what_;
};

namespace detail {
struct result_access;

/// A std::exception_ptr on the heap, or null: moving one is a pointer's copy, inline, where moving a
/// std::exception_ptr calls into the runtime (10x the cost of squaring a float on a success path).
class error_slot {
public:
    error_slot() noexcept = default;
    explicit error_slot(std::exception_ptr e) : e_(new std::exception_ptr(std::move(e))) {}
    error_slot(const error_slot& o) : e_(o.e_ != nullptr ? new std::exception_ptr(*o.e_) : nullptr) {}
    error_slot(error_slot&& o) noexcept : e_(o.e_) { o.e_ = nullptr; }
    error_slot& operator=(error_slot o) noexcept {
        std::swap(e_, o.e_);
        return *this;
    }
    ~error_slot() { delete e_; }
    const std::exception_ptr* get() const noexcept { return e_; }

private:
    std::exception_ptr* e_ = nullptr;
};
} // namespace detail

/// @brief Element i's outcome under on_error::as_values: f's value, or the exception f threw. A value and
/// an error slot side by side (the value an std::optional only for types without a default), so writing
/// a success costs about what writing the value does.
template <class R>
class result {
    static_assert(!std::is_same_v<std::decay_t<R>, std::exception_ptr>, "Note to the user: f must not return std::exception_ptr "
                                                                        "under on_error::as_values: result<R> holds one for failures.");
    static constexpr bool plain = std::is_default_constructible_v<R>;

public:
    template <class T = R, std::enable_if_t<std::is_default_constructible_v<T>, int> = 0>
    result() : value_() {}
    /// @brief A value.
    result(const R& value) : value_(value) {}
    result(R&& value) : value_(std::move(value)) {}
    /// @brief A failure (`error` must not be null).
    explicit result(std::exception_ptr error) : value_(), error_(std::move(error)) {}

    /// @brief True when f returned a value.
    bool has_value() const noexcept { return error_.get() == nullptr; }
    explicit operator bool() const noexcept { return has_value(); }
    /// @brief The value; rethrows f's exception if it failed.
    R& value() & { return checked(*this); }
    const R& value() const& { return checked(*this); }
    R&& value() && { return std::move(checked(*this)); }
    /// @brief The exception f threw; null when it returned a value.
    std::exception_ptr error() const noexcept { return has_value() ? nullptr : *error_.get(); }
    /// @brief The value, unchecked (has_value() must hold).
    R& operator*() & noexcept { return get(*this); }
    const R& operator*() const& noexcept { return get(*this); }
    R* operator->() noexcept { return &get(*this); }
    const R* operator->() const noexcept { return &get(*this); }

#if defined(__cpp_lib_expected)
    /// @brief As a std::expected (C++23 libraries).
    operator std::expected<R, std::exception_ptr>() const& {
        if (has_value()) return **this;
        return std::unexpected(error());
    }
    operator std::expected<R, std::exception_ptr>() && {
        if (has_value()) return std::move(**this);
        return std::unexpected(error());
    }
#endif

private:
    friend struct detail::result_access;

    template <class Self>
    static auto& get(Self& self) noexcept {
        if constexpr (plain) {
            return self.value_;
        } else {
            return *self.value_;
        }
    }
    template <class Self>
    static auto& checked(Self& self) {
        if (!self.has_value()) std::rethrow_exception(*self.error_.get());
        return get(self);
    }

    std::conditional_t<plain, R, std::optional<R>> value_;
    detail::error_slot error_;
};

namespace detail {
/// Writes a value into a result in place (default-constructible R): what as_values does per success.
struct result_access {
    /// The value of a result whose R has a default (its error slot is left as it is).
    template <class R>
    static R& value(result<R>& r) noexcept { return r.value_; }
    /// True when r holds an error (set by an earlier call on the same slots).
    template <class R>
    static bool has_error(const result<R>& r) noexcept { return r.error_.get() != nullptr; }
    /// Empties the error slots of slot(i) for i in [begin, end).
    template <class Slot>
    static void clear_errors(Slot& slot, std::size_t begin, std::size_t end) noexcept {
        for (std::size_t i = begin; i < end; ++i) slot(i).error_ = error_slot();
    }
};

inline thread_local std::size_t current_attempt = 1;

/// Sets the thread's attempt number for one element and restores the outer one (nested calls) after.
class attempt_scope {
public:
    attempt_scope() noexcept : saved_(current_attempt) {}
    ~attempt_scope() { current_attempt = saved_; }
    attempt_scope(const attempt_scope&) = delete;
    attempt_scope& operator=(const attempt_scope&) = delete;
    void set(std::size_t attempt) noexcept { current_attempt = attempt; }

private:
    std::size_t saved_;
};
} // namespace detail

/// @brief Inside f under `.retries(n, pred)`: 1 on an element's first attempt, 2 on its first retry, ...
/// (always 1 without retries).
inline std::size_t attempt() noexcept { return detail::current_attempt; }

/// @brief The retry predicate's placeholder when `.retries` was not called: never retries.
struct no_retries {
    bool operator()(const std::exception_ptr&) const noexcept { return false; }
};

/// @brief A policy's error option: the mode, `.max_errors(k)`, `.retries(n, pred)`.
template <class Mode, class Retry = no_retries>
struct error_options {
    using mode = Mode;
    using retry_type = Retry;
    std::size_t max_errors = std::numeric_limits<std::size_t>::max();  ///< unlimited unless .max_errors(k)
    std::size_t retries = 0;                                           ///< more attempts per element, at most
    Retry retry_if{};                                                  ///< retry when retry_if(exception) holds
};

namespace detail {
/// The error option of a plain policy: fail fast, no retries.
using default_errors = error_options<on_error::fail_fast_t>;

template <class Mode>
inline constexpr bool is_error_mode_v = std::is_same_v<Mode, on_error::fail_fast_t> || std::is_same_v<Mode, on_error::collect_t> ||
                                        std::is_same_v<Mode, on_error::as_values_t>;

/// True unless Policy's mode is as_values, which parallel_for (Reduce false) and parallel_map_reduce (Reduce
/// true) cannot honour; else the first error says to use collect.
template <class Policy, bool Reduce>
constexpr bool check_not_as_values() {
    constexpr bool ok = !std::is_same_v<typename Policy::errors_type::mode, on_error::as_values_t>;
    static_assert(ok || Reduce, "Note to the user: parallel_for returns nothing, so on_error::as_values has no values to give: "
                                "use on_error::collect.");
    static_assert(ok || !Reduce, "Note to the user: parallel_map_reduce returns one value, so on_error::as_values has no "
                                 "per-element values to give: use on_error::collect, which throws parmap::errors listing every failure.");
    return ok;
}

} // namespace detail

} // namespace parmap
