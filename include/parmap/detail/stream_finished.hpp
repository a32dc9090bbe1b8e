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

/// Unordered streams: the slot numbers of finished elements in completion order, appended a grab at a
/// time under a lock and taken by the consumer a batch at a time (two arrays swapped), so that neither
/// side locks per element. It never holds more than the ring's capacity.
class finished_list {
public:
    explicit finished_list(std::size_t capacity) : incoming_(new std::size_t[capacity]), outgoing_(new std::size_t[capacity]) {}

    /// Appends the slot numbers of one finished grab (any participant).
    void append(const std::size_t* ids, std::size_t n) {
        std::lock_guard<std::mutex> lock(mutex_);
        std::copy(ids, ids + n, incoming_.get() + count_);
        count_ += n;
        pending_.store(true, std::memory_order_release);
    }

    /// Makes the finished slots appended so far the consumer's to take when it has taken all it had;
    /// returns how many it has not taken (consumer only).
    std::size_t refill() {
        if (next_ == end_ && pending_.load(std::memory_order_acquire)) {
            std::lock_guard<std::mutex> lock(mutex_);
            std::swap(incoming_, outgoing_);
            next_ = 0;
            end_ = std::exchange(count_, 0);
            pending_.store(false, std::memory_order_relaxed);
        }
        return end_ - next_;
    }

    /// The k-th slot number of the consumer's batch; [next(), next() + refill()) are not taken yet.
    std::size_t operator[](std::size_t k) const noexcept { return outgoing_[k]; }
    std::size_t next() const noexcept { return next_; }
    /// Takes `n` slots from the front (consumer only).
    void take(std::size_t n) noexcept { next_ += n; }

private:
    std::mutex mutex_;
    std::unique_ptr<std::size_t[]> incoming_;  // count_ entries, under mutex_
    std::unique_ptr<std::size_t[]> outgoing_;  // the consumer's: [next_, end_) not taken yet
    std::size_t count_ = 0;
    std::atomic<bool> pending_{false};  // incoming_ has entries: the consumer's lock-free look
    std::size_t next_ = 0;
    std::size_t end_ = 0;
};

} // namespace parmap::detail
