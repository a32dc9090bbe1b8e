// parmap: streaming front-ends. imap(policy, input, f) is a lazy input range of f's results in input
// order; imap_unordered(policy, input, f) yields parmap::indexed<R> as each completes. The input may be
// any range, single-pass (lines of a file, a directory, a generator) and unbounded ones included: it is
// advanced by one thread at a time and never held whole. At most `.buffer(k)` elements are between the
// input and the consumer at any moment, inputs and results waiting included, whatever the input's length.
//
//   std::ifstream in("huge.txt");
//   for (auto&& y : parmap::imap(parmap::threads.buffer(256), parmap::lines(in), f)) consume(y);
//   for (auto&& [i, y] : parmap::imap_unordered(parmap::threads, std::filesystem::directory_iterator(dir), g)) ...
//
// Options: `.chunk(c)` is how many elements a thread takes from the input at once (a grab; automatic:
// one, doubling while a grab runs for less than about 4 us, up to 1024, so the first result comes after
// one element's work and a trivial f amortises the hand-off); the default `.buffer` is 4 grabs per worker
// (automatic: 4096 x workers). A grab's results reach the consumer together: imap_unordered hands out
// results in the order their grabs finish (per element once an element takes 4 us or more, since its
// grab is then one element; with a fixed .chunk(c), c at a time). `.stop(token)` makes the consumer
// throw parmap::cancelled once it has walked the batch of results it holds (at most one grab, 1024,
// checked per batch as parallel_map checks between chunks); `.progress(cb)` is called on the consumer
// as cb(handed out, 0) while the total is unknown, and cb(n, n) once the input is exhausted and consumed.
// Error policies (errors.hpp): under on_error::as_values the stream yields result<R> (indexed<result<R>>
// unordered); under collect it yields the values that succeeded and throws parmap::errors at the end of
// the walk; `.max_errors(k)` throws it at the k-th failure walked past. An input's own exception is no element's.
#pragma once

#include <parmap/default_policy.hpp>
#include <parmap/detail/error_stream.hpp>
#include <parmap/detail/stream_task.hpp>
#include <parmap/policy.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace parmap {

/// @brief The range imap and imap_unordered return: single-pass, move-only, computed as it is walked.
/// Leaving the loop early (break, return, an exception) destroys it: input stops being taken, calls of f
/// already running finish, every result not handed out is destroyed, and the pool is free again.
template <class Stream>
class stream_range {
public:
    /// @brief The range's input iterator; an iterator at the end compares equal to end(). It walks a batch
    /// of ready results by itself (a pointer step, no call and no synchronisation) and calls the stream at
    /// the batch's end, so a loop over a stream compiles to much the same code as one over a vector.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = typename Stream::value_type;
        using difference_type = std::ptrdiff_t;
        using reference = value_type&;
        using pointer = value_type*;

        iterator() noexcept = default;
        explicit iterator(Stream* stream) noexcept : stream_(stream), cursor_(stream->cursor()) {}
        /// @brief The current result; it stays valid until the iterator is advanced.
        reference operator*() const noexcept { return *cursor_; }
        pointer operator->() const noexcept { return &*cursor_; }
        /// @brief Moves to the next result (working on the stream meanwhile); rethrows an element's error at its turn.
        iterator& operator++() {
            if (!cursor_.step()) next_batch();
            return *this;
        }
        void operator++(int) { ++*this; }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.stream_ == b.stream_; }
        friend bool operator!=(const iterator& a, const iterator& b) noexcept { return a.stream_ != b.stream_; }

    private:
        void next_batch() {
            const typename Stream::found got = stream_->next_batch();
            if (got == Stream::found::batch) {
                cursor_ = stream_->cursor();
            } else if (got == Stream::found::end) {
                stream_ = nullptr;
            } else {
                stream_->rethrow();
            }
        }

        Stream* stream_ = nullptr;
        typename Stream::cursor_type cursor_{};
    };

    explicit stream_range(std::unique_ptr<Stream> stream) noexcept : stream_(std::move(stream)) {}

    /// @brief Starts the stream (its first result, or the end). The range is single-pass: call begin() once
    /// (a second call resumes at the start of the batch of results the first iterator is walking).
    iterator begin() { return stream_->start() ? iterator(stream_.get()) : iterator(); }
    /// @brief The end of the results.
    iterator end() const noexcept { return iterator(); }

private:
    std::unique_ptr<Stream> stream_;  // on the heap: the pool's threads hold its address while the range moves
};

namespace detail {

template <bool Ordered, class Backend, class Progress, class Errors, class Range, class F>
auto make_stream(const policy<Backend, Progress, Errors>& p, Range&& input, F&& f) {
    using It = stream_iterator_t<std::remove_reference_t<Range>>;
    using call = element_call<It, std::decay_t<F>, stream_element_t<It>>;
    static_assert(std::is_same_v<Backend, threads_backend> || std::is_same_v<Backend, serial_backend>,
                  "Note to the user: parmap::imap and imap_unordered stream on parmap::threads (or parmap::serial): an "
                  "OpenMP team or a device cannot take work while your loop runs. Use parmap::threads.workers(n).");
    static_assert(call::invocable, "Note to the user: f cannot be called with an element of the input.");
    static_assert(!call::invocable || !std::is_void_v<typename call::type>,
                  "Note to the user: f returns void, so imap has nothing to yield: use parmap::parallel_for.");
    if constexpr (call::invocable && !std::is_void_v<typename call::type>) {  // else: only the messages above
        using Stream = stream<Range, F, Progress, Ordered>;
        const policy_options& options = p.options();
        check_options(p);
        thread_pool* pool = nullptr;
        std::size_t workers = 1;
        if constexpr (std::is_same_v<Backend, threads_backend>) {
            const pool_choice choice = choose_pool(p);  // as parallel_map chooses
            pool = &choice.pool;
            workers = std::min(choice.workers, pool->size());
        }
        if constexpr (guarded_v<policy<Backend, Progress, Errors>>) {  // f wrapped per element (detail/error_stream.hpp)
            auto make = [&](auto&& g) {
                using G = std::remove_reference_t<decltype(g)>;
                return std::make_unique<stream<Range, G, Progress, Ordered>>(std::forward<Range>(input), std::move(g), options,
                                                                             p.progress_option(), pool, workers);
            };
            auto guarded = guarded_stream_range<std::decay_t<typename call::type>, Ordered>(p.error_option(), std::forward<F>(f), make);
            return stream_range<typename decltype(guarded)::element_type>(std::move(guarded));
        } else {
            return stream_range<Stream>(std::make_unique<Stream>(std::forward<Range>(input), std::forward<F>(f), options,
                                                                 p.progress_option(), pool, workers));
        }
    }
}

} // namespace detail

/// @brief A lazy range of f(x) for x in `input`, in input order, computed on `policy`'s threads (and on
/// the consuming thread while it waits) as the range is walked. `input` is any range, single-pass and
/// unbounded ones included (lvalues are referenced and must outlive the result, rvalues are moved in).
/// An exception from f at element i, or from the input at position i, is rethrown when the walk reaches i;
/// the results before it are delivered. A slow element stalls the others once the buffer fills behind it:
/// use imap_unordered when order does not matter.
/// @code for (const auto& y : parmap::imap(parmap::threads, parmap::lines(file), parse)) use(y); @endcode
template <class Policy, class Range, class F, std::enable_if_t<is_policy_v<Policy>, int> = 0>
auto imap(const Policy& policy, Range&& input, F&& f) {
    return detail::make_stream<true>(policy, std::forward<Range>(input), std::forward<F>(f));
}

/// @brief imap with the default policy.
template <class Range, class F, std::enable_if_t<!is_policy_v<Range>, int> = 0>
auto imap(Range&& input, F&& f) {
    return imap(default_policy(), std::forward<Range>(input), std::forward<F>(f));
}

/// @brief Like imap, but yields parmap::indexed<R>{index, value} in the order the results complete (a
/// grab's results together: see the options above). An
/// exception from f or the input is thrown when its element completes, as parmap::element_error (its
/// index() is the element's position; the original exception is nested).
/// @code for (auto&& [i, y] : parmap::imap_unordered(parmap::threads, inputs, f)) out[i] = y; @endcode
template <class Policy, class Range, class F, std::enable_if_t<is_policy_v<Policy>, int> = 0>
auto imap_unordered(const Policy& policy, Range&& input, F&& f) {
    return detail::make_stream<false>(policy, std::forward<Range>(input), std::forward<F>(f));
}

/// @brief imap_unordered with the default policy.
template <class Range, class F, std::enable_if_t<!is_policy_v<Range>, int> = 0>
auto imap_unordered(Range&& input, F&& f) {
    return imap_unordered(default_policy(), std::forward<Range>(input), std::forward<F>(f));
}

} // namespace parmap
