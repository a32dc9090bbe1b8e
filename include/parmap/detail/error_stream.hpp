// parmap: the error policies for imap and imap_unordered, at the element call and on the consumer's
// side, so the stream itself is the one fail_fast uses. f is wrapped to retry and, under collect or
// as_values, to return parmap::result<R>; a guarded_stream in front of the consumer counts the failures
// it walks past (`.max_errors(k)` throws parmap::errors at the k-th) and, under collect, skips them and
// throws parmap::errors when the walk reaches the end.
#pragma once

#include <parmap/detail/error_policy.hpp>
#include <parmap/detail/stream.hpp>
#include <parmap/errors.hpp>

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap::detail {

/// f with the policy's retries; with `Values`, a failure is returned as result<R> instead of thrown.
template <class F, class Errors, class R, bool Values>
struct guarded_element {
    F f;
    Errors errors;

    template <class... Args>
    std::conditional_t<Values, result<R>, R> operator()(Args&&... args) {
        auto call = [&]() -> R {
            if constexpr (std::is_same_v<typename Errors::retry_type, no_retries>) {
                return std::invoke(f, std::forward<Args>(args)...);
            } else {
                return std::invoke(f, args...);  // lvalues: a retry gets the same element again
            }
        };
        if constexpr (!Values) {
            return with_retries(errors, call);
        } else {
            try {
                return result<R>(with_retries(errors, call));
            } catch (...) {
                return result<R>(std::current_exception());
            }
        }
    }
};

/// An imap stream of result<R> as the consumer sees it under collect (`Collect`: failures skipped,
/// thrown together at the end) or as_values (results as they are), with `.max_errors(k)`. It walks the
/// inner stream's batches itself and hands the consumer one result per batch (stream_range's protocol).
template <class Inner, class R, bool Ordered, bool Collect>
class guarded_stream {
public:
    using value_type = std::conditional_t<Collect, std::conditional_t<Ordered, R, indexed<R>>, typename Inner::value_type>;
    using found = typename Inner::found;

    /// A batch of one: the iterator asks next_batch() for every next result.
    struct cursor_type {
        value_type* at = nullptr;
        value_type& operator*() const noexcept { return *at; }
        bool step() noexcept { return false; }
    };

    guarded_stream(std::unique_ptr<Inner> inner, std::size_t limit) noexcept : inner_(std::move(inner)), limit_(limit) {}

    bool start() {
        if (started_) return !ended_;
        started_ = true;
        if (!inner_->start()) return finish();
        at_ = inner_->cursor();
        return settle();
    }
    cursor_type cursor() noexcept { return {&current()}; }
    found next_batch() noexcept {
        try {
            return advance() ? found::batch : found::end;
        } catch (...) {
            error_ = std::current_exception();
            return found::error;
        }
    }
    [[noreturn]] void rethrow() { std::rethrow_exception(std::exchange(error_, nullptr)); }

private:
    static result<R>& result_of(typename Inner::value_type& v) noexcept {
        if constexpr (Ordered) {
            return v;
        } else {
            return v.value;
        }
    }

    value_type& current() noexcept {
        if constexpr (!Collect) {
            return *at_;
        } else if constexpr (Ordered) {
            return **at_;
        } else {
            return *current_;
        }
    }

    /// The inner stream's next result; false at its end (its errors thrown).
    bool inner_advance() {
        if (at_.step()) return true;
        const found got = inner_->next_batch();
        if (got == found::end) return false;
        if (got == found::error) inner_->rethrow();
        at_ = inner_->cursor();
        return true;
    }

    bool advance() { return inner_advance() ? settle() : finish(); }

    /// At the inner stream's current result: records a failure (under collect, moves past it); false at the end.
    bool settle() {
        for (;;) {
            typename Inner::value_type& v = *at_;
            result<R>& r = result_of(v);
            std::size_t index = position_++;
            if constexpr (!Ordered) index = v.index;
            if (r.has_value()) {
                if constexpr (Collect && !Ordered) current_.emplace(indexed<R>{index, std::move(*r)});
                return true;
            }
            failures_.push_back({index, r.error()});
            if (failures_.size() >= limit_) throw errors(std::move(failures_), position_);
            if constexpr (!Collect) return true;
            if (!inner_advance()) return finish();
        }
    }

    bool finish() {
        ended_ = true;
        if (Collect && !failures_.empty()) throw errors(std::move(failures_), position_);
        return false;
    }

    std::unique_ptr<Inner> inner_;  // on the heap: the pool's threads hold its address
    typename Inner::cursor_type at_{};
    std::size_t limit_;
    std::size_t position_ = 0;  // results walked past, failures included
    std::vector<failure> failures_;
    std::optional<indexed<R>> current_;  // imap_unordered under collect: the result without its wrapper
    std::exception_ptr error_;           // what rethrow() throws
    bool started_ = false;
    bool ended_ = false;
};

/// imap's stream under a policy's error option, as a std::unique_ptr: `make(g)` builds the stream of g, f wrapped.
template <class R, bool Ordered, class Errors, class F, class Make>
auto guarded_stream_range(const Errors& e, F&& f, Make make) {
    check_error_options(e);
    constexpr bool fail_fast = std::is_same_v<typename Errors::mode, on_error::fail_fast_t>;
    constexpr bool collect = std::is_same_v<typename Errors::mode, on_error::collect_t>;
    auto inner = make(guarded_element<std::decay_t<F>, Errors, R, !fail_fast>{std::forward<F>(f), e});
    if constexpr (fail_fast) {
        return inner;
    } else {
        using guarded = guarded_stream<typename decltype(inner)::element_type, R, Ordered, collect>;
        return std::make_unique<guarded>(std::move(inner), e.max_errors);
    }
}

} // namespace parmap::detail
