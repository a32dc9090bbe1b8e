// parmap: the error policies as a layer in front of the backends. A policy whose error option is not the
// default runs as its plain policy over the indices 0..n-1, with f wrapped per element: retries loop in
// the element's call, collect and as_values catch there and record (index, exception) in a failure_log
// (a lock on the failure path only); into a vector or an output range they catch per chunk instead, in
// one plain loop that resumes after the element that threw (run_each_guarded), and hand the chunk's
// failures to the log at its end, as one run in index order (chunk_failures). The k-th failure under
// `.max_errors(k)` is rethrown into the backends' fail-fast machinery, which stops the others; the layer
// then throws parmap::errors. So the backends know nothing of it and a call without failures costs what
// a fail_fast one does.
#pragma once

#include <parmap/errors.hpp>
#include <parmap/detail/elements.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <iterator>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap::detail {

/// True for a parmap::policy with an error option other than the default (fail fast, no retries); false
/// for any other type.
template <class T>
struct is_guarded_policy : std::false_type {};
template <class Backend, class Progress, class Errors>
struct is_guarded_policy<policy<Backend, Progress, Errors>> : std::bool_constant<!std::is_same_v<Errors, default_errors>> {};

template <class Policy>
inline constexpr bool guarded_v = is_guarded_policy<Policy>::value;

template <class Policy, class Mode>
inline constexpr bool mode_is_v = std::is_same_v<typename Policy::errors_type::mode, Mode>;

/// The same policy without its error option: what the backends run.
template <class Backend, class Progress, class Errors>
policy<Backend, Progress> plain(const policy<Backend, Progress, Errors>& p) {
    return {p.options(), p.backend_options(), p.progress_option()};
}

/// Throws std::invalid_argument for error options no call can honour.
template <class Errors>
void check_error_options(const Errors& e) {
    if (e.max_errors == 0) throw std::invalid_argument("parmap: .max_errors(0): the limit must be at least 1 failure");
    if (e.retries > 1000) {
        throw std::invalid_argument("parmap: .retries(" + std::to_string(e.retries) + ") asks for more than 1000 retries per element");
    }
}

/// Calls `call()`, again while it throws, retries are left and the predicate agrees; attempt() tells which try.
template <class Errors, class Call>
decltype(auto) with_retries(const Errors& e, Call&& call) {
    if constexpr (std::is_same_v<typename Errors::retry_type, no_retries>) {
        return call();
    } else {
        attempt_scope scope;
        for (std::size_t attempt = 1;; ++attempt) {
            scope.set(attempt);
            try {
                return call();
            } catch (...) {
                if (attempt > e.retries || !e.retry_if(std::current_exception())) throw;
            }
        }
    }
}

/// The failures of one call, recorded from any thread: one at a time (record, under a lock), or a
/// chunk's at once (chunk_failures), so that a chunk takes the lock once and its run, in index order,
/// needs no sorting. Under `.max_errors(k)` every failure is counted as it happens, to stop at the k-th.
class failure_log {
public:
    explicit failure_log(std::size_t limit) noexcept : limit_(limit) {}

    /// Inside a catch handler: records the current exception at `index`; rethrows it when it is the
    /// limit-th failure (to stop the call), else returns it.
    std::exception_ptr record(std::size_t index) {
        std::exception_ptr e = std::current_exception();
        {
            std::lock_guard<std::mutex> lock(mutex_);
            singles_.push_back({index, e});
        }
        if (count()) std::rethrow_exception(e);
        return e;
    }
    /// Whether there is a limit to count towards (`.max_errors(k)`).
    bool limited() const noexcept { return limit_ != unlimited; }
    /// Counts one failure; true when it is the limit-th or a later one.
    bool count(std::size_t failures = 1) noexcept {
        return count_.fetch_add(failures, std::memory_order_relaxed) + failures >= limit_;
    }
    /// Takes a chunk's failures (in index order), counted already when limited().
    void add(std::vector<failure>&& chunk) {
        if (chunk.empty()) return;
        if (!limited()) count(chunk.size());
        std::lock_guard<std::mutex> lock(mutex_);
        chunks_.push_back(std::move(chunk));
    }
    /// Runs `call()`; a failure after the limit was reached becomes parmap::errors.
    template <class Call>
    decltype(auto) guard(std::size_t total, Call&& call) {
        try {
            return call();
        } catch (...) {
            if (limit_reached()) throw errors(take(), total);
            throw;
        }
    }
    /// Throws parmap::errors if anything failed.
    void throw_if_any(std::size_t total) {
        if (count_.load(std::memory_order_relaxed) != 0) throw errors(take(), total);
    }
    bool limit_reached() const noexcept { return count_.load(std::memory_order_relaxed) >= limit_; }
    /// Every failure, sorted by index: the chunks put in order, the single ones sorted.
    std::vector<failure> take() {
        auto by_index = [](const failure& a, const failure& b) { return a.index < b.index; };
        std::sort(chunks_.begin(), chunks_.end(), [](const auto& a, const auto& b) { return a.front().index < b.front().index; });
        std::vector<failure> out;
        out.reserve(count_.load(std::memory_order_relaxed));
        for (auto& chunk : chunks_) out.insert(out.end(), std::make_move_iterator(chunk.begin()), std::make_move_iterator(chunk.end()));
        out.insert(out.end(), std::make_move_iterator(singles_.begin()), std::make_move_iterator(singles_.end()));
        if (!std::is_sorted(out.begin(), out.end(), by_index)) std::sort(out.begin(), out.end(), by_index);
        chunks_.clear();
        singles_.clear();
        return out;
    }

private:
    static constexpr std::size_t unlimited = std::numeric_limits<std::size_t>::max();
    std::size_t limit_;
    std::atomic<std::size_t> count_{0};
    std::mutex mutex_;
    std::vector<failure> singles_;
    std::vector<std::vector<failure>> chunks_;
};

/// One chunk's failures, kept apart and handed to the log when the chunk ends (flush), or at once when
/// one of them is the call's limit-th failure, which is then rethrown.
class chunk_failures {
public:
    explicit chunk_failures(failure_log& log) noexcept : log_(log) {}
    /// Inside a catch handler, for indices in increasing order: as failure_log::record.
    void record(std::size_t index) {
        if (run_.empty()) run_.reserve(16);
        run_.push_back({index, std::current_exception()});
        if (log_.limited() && log_.count()) {
            flush();
            throw;
        }
    }
    void flush() { log_.add(std::move(run_)); }

private:
    failure_log& log_;
    std::vector<failure> run_;
};

/// Element i's value under the policy's error option, one result per index; `run(plain, g)` runs g over
/// the indices with the plain policy. collect: a failed slot holds R{} (the call throws anyway).
template <class R, class Policy, class Element, class Run>
auto guarded_map(const Policy& p, std::size_t n, Element& element, Run run) {
    const auto& e = p.error_option();
    check_error_options(e);
    auto call = [&](std::size_t i) -> R { return with_retries(e, [&]() -> R { return element(i); }); };
    if constexpr (mode_is_v<Policy, on_error::fail_fast_t>) {
        return run(plain(p), call);
    } else {
        failure_log log(e.max_errors);
        if constexpr (mode_is_v<Policy, on_error::as_values_t>) {
            auto g = [&](std::size_t i) -> result<R> {
                try {
                    return result<R>(call(i));
                } catch (...) {
                    return result<R>(log.record(i));
                }
            };
            return log.guard(n, [&] { return run(plain(p), g); });
        } else {
            auto g = [&](std::size_t i) -> R {
                try {
                    return call(i);
                } catch (...) {
                    log.record(i);
                    return R{};
                }
            };
            auto out = log.guard(n, [&] { return run(plain(p), g); });
            log.throw_if_any(n);
            return out;
        }
    }
}

/// Runs per(i) for every i in [begin, end) in one plain loop, so that a per(i) the compiler sees cannot
/// throw is vectorised as the fail_fast loop is; an element that throws goes to failed(i), inside the
/// handler, and the loop goes on after it.
template <class Per, class Failed>
void run_each_guarded(std::size_t begin, std::size_t end, Per& per, Failed& failed) {
    for (std::size_t i = begin; i < end;) {
        try {
            PARMAP_DETAIL_UNROLLED
            for (; i < end; ++i) per(i);
        } catch (...) {
            failed(i++);
        }
    }
}

/// Runs chunk(begin, end, failures) over the chunks of [0, n) on the plain policy, each chunk's failures
/// kept in `failures` and handed to `log` when the chunk ends; a limit-th failure stops the call as
/// parmap::errors (log.guard). What the in-place collect and as_values share.
template <class Policy, class Chunk>
void run_guarded_chunks(const Policy& p, std::size_t n, failure_log& log, Chunk& chunk) {
    auto body = [&](std::size_t begin, std::size_t end) {
        chunk_failures failures(log);
        chunk(begin, end, failures);
        failures.flush();
    };
    const auto plain_policy = plain(p);
    check_options(plain_policy);
    log.guard(n, [&] { run_chunks(plain_policy, n, body); });
}

/// as_values into result<R> slots (`slot(i)` is element i's, R default-constructible): each value is
/// stored where it goes and the failures are set afterwards, so that a success costs a store of its
/// value. Slots that may hold errors from before (not Fresh: a caller's output) are emptied after
/// their chunk's loop (before any new failure is set).
template <class R, bool Fresh, class Policy, class Element, class Slot>
void as_values_in_place(const Policy& p, std::size_t n, Element& element, Slot slot) {
    const auto& e = p.error_option();
    check_error_options(e);
    failure_log log(e.max_errors);
    auto chunk = [&](std::size_t begin, std::size_t end, chunk_failures& failures) {
        auto failed = [&](std::size_t i) { failures.record(i); };
        bool stale = false;  // a slot held an error: emptied after the loop, which only looks
        auto per = [&](std::size_t i) {
            result<R>& r = slot(i);
            if constexpr (!Fresh) stale |= result_access::has_error(r);
            result_access::value(r) = with_retries(e, [&]() -> R { return element(i); });
        };
        run_each_guarded(begin, end, per, failed);
        if (stale) result_access::clear_errors(slot, begin, end);
    };
    run_guarded_chunks(p, n, log, chunk);
    for (failure& f : log.take()) slot(f.index) = result<R>(std::move(f.exception));
}

/// collect into R slots (`slot(i)` is element i's; R default-constructible and move-assignable): as
/// as_values_in_place, each chunk runs as one plain loop, so the elements that succeed cost what they
/// cost under fail_fast even while others fail; a failed element's slot gets R{} (the call throws anyway).
template <class R, class Policy, class Element, class Slot>
void collect_in_place(const Policy& p, std::size_t n, Element& element, Slot slot) {
    const auto& e = p.error_option();
    check_error_options(e);
    failure_log log(e.max_errors);
    auto chunk = [&](std::size_t begin, std::size_t end, chunk_failures& failures) {
        auto failed = [&](std::size_t i) {
            failures.record(i);
            slot(i) = R{};
        };
        auto per = [&](std::size_t i) { slot(i) = with_retries(e, [&]() -> R { return element(i); }); };
        run_each_guarded(begin, end, per, failed);
    };
    run_guarded_chunks(p, n, log, chunk);
    log.throw_if_any(n);
}

/// Whether collect writes R in place (as map_to_vector does): not bool, whose vector packs bits.
template <class R>
inline constexpr bool collects_in_place_v =
    std::is_default_constructible_v<R> && std::is_move_assignable_v<R> && !std::is_same_v<R, bool>;

/// f of element i of `in`, as the front-ends call it.
template <class It, class F>
auto element_of(const element_source<It>& in, F& f) {
    return [&in, &f](std::size_t i) -> decltype(auto) { return call_element<It>(f, in[i]); };
}

/// parallel_map(policy, input, f) under an error option: f over the indices, as a std::vector<R>
/// (of result<R> under as_values).
template <class R, class Policy, class It, class F>
auto guarded_vector(const Policy& p, std::size_t n, const element_source<It>& in, F& f) {
    auto element = element_of(in, f);
    auto over_indices = [n](const auto& plain_policy, auto& g) { return parallel_map(plain_policy, iota(n), g); };
    if constexpr (mode_is_v<Policy, on_error::collect_t> && !std::is_default_constructible_v<R>) {
        // No R to put in a failed slot: collect as values, then unwrap (no failure, else we throw).
        std::vector<result<R>> values = guarded_map<R>(p.errors(on_error::as_values), n, element, over_indices);
        std::vector<failure> failed;
        for (std::size_t i = 0; i < n; ++i) {
            if (!values[i].has_value()) failed.push_back({i, values[i].error()});
        }
        if (!failed.empty()) throw errors(std::move(failed), n);
        std::vector<R> out;
        out.reserve(n);
        for (result<R>& value : values) out.push_back(std::move(*value));
        return out;
    } else if constexpr (mode_is_v<Policy, on_error::collect_t> && collects_in_place_v<R>) {
        std::vector<R> out(n);
        R* data = out.data();
        collect_in_place<R>(p, n, element, [data](std::size_t i) -> R& { return data[i]; });
        return out;
    } else if constexpr (mode_is_v<Policy, on_error::as_values_t> && std::is_default_constructible_v<R>) {
        std::vector<result<R>> out(n);
        result<R>* data = out.data();
        as_values_in_place<R, true>(p, n, element, [data](std::size_t i) -> result<R>& { return data[i]; });
        return out;
    } else {
        return guarded_map<R>(p, n, element, over_indices);
    }
}

/// parallel_map(policy, first, last, out, f) under an error option: written to out in place (result<R>
/// under as_values), staged only for a result type without a default under collect.
template <class R, class Policy, class It, class F, class Out>
Out guarded_into(const Policy& p, std::size_t n, const element_source<It>& in, F& f, Out out) {
    if constexpr (mode_is_v<Policy, on_error::collect_t> && !std::is_default_constructible_v<R>) {
        auto staged = guarded_vector<R>(p, n, in, f);
        return std::move(staged.begin(), staged.end(), out);
    } else if constexpr (mode_is_v<Policy, on_error::collect_t> && collects_in_place_v<R> &&
                         std::is_same_v<typename std::iterator_traits<Out>::reference, R&>) {
        auto element = element_of(in, f);
        element_source<Out> dst(out, n);
        collect_in_place<R>(p, n, element, [&dst](std::size_t i) -> R& { return dst[i]; });
        return std::next(out, static_cast<typename std::iterator_traits<Out>::difference_type>(n));
    } else if constexpr (mode_is_v<Policy, on_error::as_values_t> && std::is_default_constructible_v<R> &&
                         std::is_same_v<typename std::iterator_traits<Out>::reference, result<R>&>) {
        auto element = element_of(in, f);
        element_source<Out> dst(out, n);
        as_values_in_place<R, false>(p, n, element, [&dst](std::size_t i) -> result<R>& { return dst[i]; });
        return std::next(out, static_cast<typename std::iterator_traits<Out>::difference_type>(n));
    } else {
        auto element = element_of(in, f);
        const auto indices = iota(n);
        auto into_out = [&](const auto& plain_policy, auto& g) { return parallel_map(plain_policy, indices.begin(), indices.end(), out, g); };
        return guarded_map<R>(p, n, element, into_out);
    }
}

/// parallel_for(policy, n, f) under an error option (as_values has nothing to return).
template <class Policy, class F>
void guarded_for(const Policy& p, std::size_t n, F& f) {
    check_not_as_values<Policy, false>();
    const auto& e = p.error_option();
    check_error_options(e);
    failure_log log(e.max_errors);
    auto g = [&](std::size_t i) {
        if constexpr (mode_is_v<Policy, on_error::fail_fast_t>) {
            with_retries(e, [&] { f(i); });
        } else {
            try {
                with_retries(e, [&] { f(i); });
            } catch (...) {
                log.record(i);
            }
        }
    };
    log.guard(n, [&] { parallel_for(plain(p), n, g); });
    log.throw_if_any(n);
}

/// parallel_map_reduce under an error option: under collect a failed element contributes a
/// default-constructed value (or init, when f's result has no default), and the call throws anyway.
template <class Policy, class Range, class F, class T, class Op>
T guarded_reduce(const Policy& p, Range& input, F& f, const T& init, Op& op) {
    check_not_as_values<Policy, true>();
    check_options(p);
    const auto& e = p.error_option();
    check_error_options(e);
    const std::size_t n = range_size(input);
    element_source<begin_t<Range>> in(std::begin(input), n);
    auto element = element_of(in, f);
    using V = std::decay_t<decltype(element(std::size_t{0}))>;
    using R = std::conditional_t<std::is_default_constructible_v<V>, V, T>;
    failure_log log(e.max_errors);
    auto g = [&](std::size_t i) -> R {
        if constexpr (mode_is_v<Policy, on_error::fail_fast_t>) {
            return with_retries(e, [&]() -> R { return element(i); });
        } else {
            try {
                return with_retries(e, [&]() -> R { return element(i); });
            } catch (...) {
                log.record(i);
                if constexpr (std::is_default_constructible_v<V>) return R{};
                else return init;
            }
        }
    };
    T out = log.guard(n, [&] { return parallel_map_reduce(plain(p), iota(n), g, init, op); });
    log.throw_if_any(n);
    return out;
}

} // namespace parmap::detail
