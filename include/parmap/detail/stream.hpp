// parmap: the engine behind imap and imap_unordered. A stream owns a ring of `capacity` slots, allocated
// once; an element lives in a slot from the moment it is taken from the input until the consumer moves
// past its result, so at most `capacity` inputs and results are alive whatever the input's length.
// Participants (the consumer and pool threads posted to the stream) take a grab of elements from the
// input under one lock, then run f on them outside it. Pool threads leave as soon as the ring is full
// and are posted again by the consumer once it has emptied half the ring, so no pool thread ever waits
// on the consumer; the consumer itself takes and runs grabs whenever its next result is not ready, so
// a stream finishes even when every pool thread is busy (nesting, several consumers on one pool).
#pragma once

#include <parmap/detail/elements.hpp>
#include <parmap/detail/job.hpp>
#include <parmap/detail/stream_handoff.hpp>
#include <parmap/detail/stream_segments.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>
#include <parmap/thread_pool.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace parmap {

/// @brief One result of imap_unordered: the input position it came from and f's value there
/// (`for (auto&& [i, y] : parmap::imap_unordered(...))`).
template <class R>
struct indexed {
    std::size_t index;
    R value;
};

/// @brief What imap_unordered throws when f or the input failed at element index(); the original
/// exception is nested in it (e.rethrow_nested() or std::rethrow_if_nested(e) throws it again).
class element_error : public std::runtime_error, public std::nested_exception {
public:
    /// @brief Built inside the handler of the original exception, which it nests.
    element_error(std::size_t index, const std::string& what)
        : std::runtime_error("parmap: element " + std::to_string(index) + " failed: " + what), index_(index) {}
    /// @brief The input position whose element failed.
    std::size_t index() const noexcept { return index_; }

private:
    std::size_t index_;
};

namespace detail {

/// Throws element_error(index) nesting the exception `error` (imap_unordered's errors).
[[noreturn]] inline void throw_element_error(std::size_t index, const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        throw element_error(index, e.what());
    } catch (...) {
        throw element_error(index, "an exception not derived from std::exception");
    }
}

template <class It, class = void>
struct is_multipass : std::false_type {};
template <class It>
struct is_multipass<It, std::void_t<typename std::iterator_traits<It>::iterator_category>>
    : std::is_base_of<std::forward_iterator_tag, typename std::iterator_traits<It>::iterator_category> {};

template <class It, class = void>
struct is_counted : std::false_type {};
template <class It>
struct is_counted<It, std::void_t<typename std::iterator_traits<It>::iterator_category>>
    : std::is_base_of<std::random_access_iterator_tag, typename std::iterator_traits<It>::iterator_category> {};

/// The element of a forward input is reached again through its grab's first iterator, so slots keep
/// nothing of it; a single-pass input's element is copied into the slot, since advancing a single-pass
/// iterator (a stream, a directory) invalidates *it.
struct in_grab {};

template <class It>
using held_t = std::conditional_t<is_multipass<It>::value, in_grab, std::remove_cv_t<std::remove_reference_t<decltype(*std::declval<It&>())>>>;

/// What f is called with: *it for a forward iterator, the slot's copy (an lvalue) for a single-pass one.
template <class It>
using stream_element_t = std::conditional_t<is_multipass<It>::value, decltype(*std::declval<It&>()), held_t<It>&>;

namespace adl {
using std::begin;
using std::end;
/// begin(r) and end(r) as a range-for finds them: members, or free functions found by ADL
/// (std::filesystem::directory_iterator is its own range through such functions).
template <class R>
auto begin_of(R& r) -> decltype(begin(r)) { return begin(r); }
template <class R>
auto end_of(R& r) -> decltype(end(r)) { return end(r); }
} // namespace adl

template <class Range>
using stream_iterator_t = decltype(adl::begin_of(std::declval<Range&>()));

/// What a slot keeps of its element besides its result (results are an array of their own, see
/// detail/stream_handoff.hpp): a single-pass input's copy, and a failed element's error and position.
template <class Held>
struct stream_slot {
    std::size_t index;  // a failed element's input position (element_error reports it); set when it fails
    std::optional<Held> input;
    std::exception_ptr error;
};
/// A forward input's slot holds no copy (a smaller ring to fault in before the first result).
template <>
struct stream_slot<in_grab> {
    std::size_t index;
    std::exception_ptr error;
};

/// What the input side of a stream shares: the range, its cursor and which slots are free, under a lock.
/// A grab's slots are contiguous. Ordered streams free slots in position order, so position p always
/// lands in slot p & mask_ (their grabs stop at the ring's end); unordered ones take slots segment by
/// segment (detail/stream_segments.hpp).
template <class Range, class Held, bool Ordered>
class stream_input {
protected:
    using slot = stream_slot<Held>;
    using iterator = stream_iterator_t<std::remove_reference_t<Range>>;

    /// A ring for `capacity` elements, taken `grab` at most at a time.
    stream_input(Range&& input, std::size_t capacity, std::size_t grab)
        : input_(std::forward<Range>(input)), end_(adl::end_of(input_)), capacity_(capacity), mask_(ring_size(capacity) - 1),
          slots_(new slot[mask_ + 1]), segments_(Ordered ? 1 : mask_ + 1, grab) {}

    /// The ring has a power-of-two size (positions are masked, not divided); `capacity` of its slots
    /// are in use at most.
    static std::size_t ring_size(std::size_t capacity) noexcept {
        std::size_t size = 1;
        while (size < capacity) size *= 2;
        return size;
    }

    /// Takes up to `want` elements into free slots from `first_slot` on, the first's input position into
    /// `position` and (forward inputs) its iterator into `first`; returns how many (0: the ring is full or
    /// the input closed). An input that throws gives a slot holding the error, the grab's last, and closes.
    std::size_t take(std::size_t want, std::size_t& first_slot, const stop_token& stop, std::optional<iterator>& first, std::size_t& position) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_.load(std::memory_order_relaxed)) return 0;
        const std::size_t taken = taken_.load(std::memory_order_relaxed);
        std::size_t limit = std::min(want, capacity_ - (taken - released_.load(std::memory_order_acquire)));
        if constexpr (Ordered) {
            limit = std::min(limit, mask_ + 1 - (taken & mask_));  // not across the ring's end
            first_slot = taken & mask_;
        } else {
            limit = std::min(limit, segments_.room_for_grab());
            if (limit == 0) return 0;
            first_slot = segments_.next_slot();
        }
        position = taken;
        bool end = stop.stop_requested();
        std::size_t n = 0;
        if constexpr (counted_input) {
            if (!end) n = take_counted(limit, first);
        } else {
            for (; !end && n < limit; ++n) {
                slot& s = slots_[first_slot + n];
                if (!read(s, first)) break;
                end = s.error != nullptr;
            }
        }
        if constexpr (!Ordered) segments_.take(n);
        taken_.store(taken + n, std::memory_order_release);  // before closed_: see finished()
        if (end || n < limit) closed_.store(true, std::memory_order_release);
        return n;
    }

    /// Stops taking input (an error, a stop, or the consumer leaving).
    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_.store(true, std::memory_order_release);
    }

    /// Gives back `count` slots from `first_slot` (one grab's; consumer only).
    void release(std::size_t first_slot, std::size_t count) noexcept {
        if constexpr (!Ordered) {
            if (segments_.give_back(first_slot, count)) {
                std::lock_guard<std::mutex> lock(mutex_);
                segments_.free_segment(first_slot);
            }
        } else {
            (void)first_slot;
        }
        released_.store(released_.load(std::memory_order_relaxed) + count, std::memory_order_release);
    }

    /// Slots given back so far: the elements handed out and moved past.
    std::size_t released() const noexcept { return released_.load(std::memory_order_relaxed); }

    /// Elements taken so far (after the lock or join() that ordered the taking before this read).
    std::size_t taken() const noexcept { return taken_.load(std::memory_order_acquire); }

    /// True once no more input will be taken.
    bool closed() const noexcept { return closed_.load(std::memory_order_acquire); }

    /// True once the input is closed and every taken element was handed out.
    bool finished(std::size_t delivered) const noexcept {
        return closed_.load(std::memory_order_acquire) && taken_.load(std::memory_order_acquire) == delivered;
    }

    /// Free slots now (a hint: others may take some meanwhile).
    std::size_t room() const noexcept {
        const std::size_t room = capacity_ - (taken_.load(std::memory_order_relaxed) - released_.load(std::memory_order_relaxed));
        return Ordered ? room : std::min(room, segments_.available());
    }

    Range input_;  // declared first: destroyed after the cursor and the slots that point into it

    /// A random-access input whose end is an iterator of the same type is taken a grab at a time, its
    /// length known at once: no element is looked at under the lock.
    static constexpr bool counted_input =
        is_counted<iterator>::value && std::is_same_v<iterator, decltype(adl::end_of(std::declval<std::remove_reference_t<Range>&>()))>;

private:
    /// take() for a counted input: up to `limit` elements, fewer only at its end.
    std::size_t take_counted(std::size_t limit, std::optional<iterator>& first) noexcept {
        if (!it_) it_.emplace(adl::begin_of(input_));
        if (advance_) ++*it_;
        advance_ = false;
        const std::size_t n = std::min(limit, static_cast<std::size_t>(end_ - *it_));
        if (n == 0) return 0;
        first.emplace(*it_);
        *it_ += static_cast<std::ptrdiff_t>(n - 1);  // at the last taken, to be advanced past by the next take
        advance_ = true;
        return n;
    }

    /// Reads the next element into `s`; false at the end of the input. The advance past the previous
    /// element happens here, so a single-pass input is never read ahead of what is taken.
    bool read(slot& s, std::optional<iterator>& first) noexcept {
        try {
            if (!it_) {
                it_.emplace(adl::begin_of(input_));  // here, not earlier: a stream reads nothing before it is walked
            } else if (advance_) {
                advance_ = false;
                ++*it_;
            }
            if (!(*it_ != end_)) return false;
            if constexpr (std::is_same_v<Held, in_grab>) {
                if (!first) first.emplace(*it_);
            } else {
                s.input.emplace(**it_);
            }
            advance_ = true;
        } catch (...) {
            s.error = std::current_exception();
        }
        return true;
    }

    std::optional<iterator> it_;
    decltype(adl::end_of(std::declval<std::remove_reference_t<Range>&>())) end_;
    bool advance_ = false;
    std::mutex mutex_;

protected:
    const std::size_t capacity_;  // the .buffer bound
    const std::size_t mask_;      // ring size - 1; an ordered stream's position p is in slot p & mask_
    std::unique_ptr<slot[]> slots_;

private:
    slot_segments segments_;  // unordered: which slots a grab takes
    std::atomic<bool> closed_{false};
    std::atomic<std::size_t> taken_{0};
    alignas(64) std::atomic<std::size_t> released_{0};  // the consumer's, written per batch: a line of its own
};

} // namespace detail
} // namespace parmap
