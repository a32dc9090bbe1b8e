// parmap: the list through which an unordered stream (imap_unordered) hands finished elements to its
// consumer, in the order their grabs finish.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>

namespace parmap::detail {

/// Unordered streams: the slot numbers of finished results in completion order, appended a grab at a
/// time under a lock and taken by the consumer all at once (two arrays swapped), so that neither side
/// synchronises per element. It never holds more than the ring's slots.
class finished_list {
public:
    static constexpr std::size_t none = ~std::size_t{0};

    explicit finished_list(std::size_t slots) : incoming_(new std::size_t[slots]), outgoing_(new std::size_t[slots]) {}

    /// Appends one grab's results, in slots ids[0, valid), and `failed`: the slot of the element after
    /// them when it failed, else none (any participant).
    void append(const std::size_t* ids, std::size_t valid, std::size_t failed) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::copy(ids, ids + valid, incoming_.get() + count_);
        count_ += valid;
        if (failure_ == none) failure_ = failed;
        pending_.store(true, std::memory_order_release);
    }

    /// True when the consumer has results or a failure to take; once it has taken all it had, it takes
    /// what was appended since (consumer only).
    bool refill() {
        if (next_ == end_ && failed_ == none && pending_.load(std::memory_order_acquire)) {
            std::lock_guard<std::mutex> lock(mutex_);
            std::swap(incoming_, outgoing_);
            next_ = 0;
            end_ = std::exchange(count_, 0);
            failed_ = std::exchange(failure_, none);
            pending_.store(false, std::memory_order_relaxed);
        }
        return next_ != end_ || failed_ != none;
    }

    /// Takes up to `most` of the results refill() made the consumer's: their slot numbers, as [first, first + count).
    std::pair<const std::size_t*, std::size_t> take(std::size_t most) noexcept {
        const std::size_t* first = outgoing_.get() + next_;
        const std::size_t count = std::min(most, end_ - next_);
        next_ += count;
        return {first, count};
    }

    /// The failed slot the consumer reaches after the results it took, or none.
    std::size_t failed() const noexcept { return failed_; }

    /// Calls destroy(slot) for every result not taken (after the stream's participants have left).
    template <class Destroy>
    void for_each_pending(Destroy destroy) const {
        for (std::size_t k = next_; k < end_; ++k) destroy(outgoing_[k]);
        for (std::size_t k = 0; k < count_; ++k) destroy(incoming_[k]);
    }

private:
    std::mutex mutex_;
    std::unique_ptr<std::size_t[]> incoming_;  // count_ entries, under mutex_
    std::unique_ptr<std::size_t[]> outgoing_;  // the consumer's: [next_, end_) not taken yet
    std::size_t count_ = 0;
    std::size_t failure_ = none;  // under mutex_: the first failed slot appended and not yet moved out
    std::atomic<bool> pending_{false};  // incoming_ has entries: the consumer's lock-free look
    std::size_t next_ = 0;
    std::size_t end_ = 0;
    std::size_t failed_ = none;  // the consumer's: thrown once [next_, end_) is walked
};

} // namespace parmap::detail
