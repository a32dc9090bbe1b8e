// parmap: the list through which an unordered stream (imap_unordered) hands finished grabs to its
// consumer, in the order they finish.
#pragma once

#include <parmap/detail/stream_handoff.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>

namespace parmap::detail {

/// One finished grab of an unordered stream: `valid` results in slots from `first` on, of `length`
/// taken; valid < length when the element after them failed (its error is in its slot).
struct finished_grab {
    std::size_t first;
    grab_record record;
};

/// Unordered streams: finished grabs in completion order, appended one at a time under a lock and
/// taken by the consumer all at once (two arrays swapped), so that neither side synchronises per
/// element. It never holds more grabs than the ring has slots.
class finished_list {
public:
    explicit finished_list(std::size_t slots) : incoming_(new finished_grab[slots]), outgoing_(new finished_grab[slots]) {}

    /// Appends one finished grab (any participant).
    void append(finished_grab grab) {
        std::lock_guard<std::mutex> lock(mutex_);
        incoming_[count_++] = grab;
        pending_.store(true, std::memory_order_release);
    }

    /// True when the consumer has a grab to take; once it has taken all it had, it takes what was
    /// appended since (consumer only).
    bool refill() {
        if (next_ == end_ && pending_.load(std::memory_order_acquire)) {
            std::lock_guard<std::mutex> lock(mutex_);
            std::swap(incoming_, outgoing_);
            next_ = 0;
            end_ = std::exchange(count_, 0);
            pending_.store(false, std::memory_order_relaxed);
        }
        return next_ != end_;
    }

    /// The next grab refill() made the consumer's.
    const finished_grab& take() noexcept { return outgoing_[next_++]; }

    /// Calls destroy(slot) for every result not taken (after the stream's participants have left).
    template <class Destroy>
    void for_each_pending(Destroy destroy) const {
        auto each = [&](const finished_grab& g) {
            for (std::size_t k = 0; k < g.record.valid; ++k) destroy(g.first + k);
        };
        std::for_each(outgoing_.get() + next_, outgoing_.get() + end_, each);
        std::for_each(incoming_.get(), incoming_.get() + count_, each);
    }

private:
    std::mutex mutex_;
    std::unique_ptr<finished_grab[]> incoming_;  // count_ entries, under mutex_
    std::unique_ptr<finished_grab[]> outgoing_;  // the consumer's: [next_, end_) not taken yet
    std::size_t count_ = 0;
    std::atomic<bool> pending_{false};  // incoming_ has entries: the consumer's lock-free look
    std::size_t next_ = 0;
    std::size_t end_ = 0;
};

} // namespace parmap::detail
