// parmap: which ring slots an unordered stream (imap_unordered) gives each grab. Its consumer frees
// slots in completion order, not input order, so the slots are handed out in segments: each grab takes
// contiguous slots inside the open segment, and a segment is reused once every one of its slots was
// given back. A grab's results are then one contiguous run, as in an ordered stream: no slot numbers
// are copied per element, and the consumer walks a grab as it walks a vector. A slow element holds its
// own segment only; the ring has at least two segments per worker, so the others keep flowing.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>

namespace parmap::detail {

class slot_segments {
public:
    /// `slots` (the ring, a power of two) in segments of the largest power of two not above `grab`.
    slot_segments(std::size_t slots, std::size_t grab) : size_(segment_size(slots, grab)), count_(slots / size_),
          left_(new std::atomic<std::size_t>[count_]), free_(new std::size_t[count_]) {
        for (std::size_t s = 0; s < count_; ++s) left_[s].store(size_, std::memory_order_relaxed);
        for (std::size_t s = 1; s < count_; ++s) free_[s - 1] = s;  // segment 0 is open
        free_count_.store(count_ - 1, std::memory_order_relaxed);
    }

    /// Under the input lock: how many slots the next grab may take, opening a free segment when the open
    /// one is used up; 0 when none is free.
    std::size_t room_for_grab() noexcept {
        if (fill_.load(std::memory_order_relaxed) == size_) {
            const std::size_t free = free_count_.load(std::memory_order_relaxed);
            if (free == 0) return 0;
            open_ = free_[free - 1];
            left_[open_].store(size_, std::memory_order_relaxed);
            free_count_.store(free - 1, std::memory_order_relaxed);
            fill_.store(0, std::memory_order_relaxed);
        }
        return size_ - fill_.load(std::memory_order_relaxed);
    }

    /// Under the input lock, after room_for_grab(): the next grab's first slot.
    std::size_t next_slot() const noexcept { return open_ * size_ + fill_.load(std::memory_order_relaxed); }

    /// Under the input lock: the grab took `n` slots from next_slot() on.
    void take(std::size_t n) noexcept { fill_.store(fill_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }

    /// The consumer gives back `count` slots from `first` (one grab's); true when that emptied their
    /// segment, which the caller then frees under the input lock.
    bool give_back(std::size_t first, std::size_t count) noexcept {
        return left_[first / size_].fetch_sub(count, std::memory_order_acq_rel) == count;
    }

    /// Under the input lock: the segment of `slot`, emptied, may be opened again.
    void free_segment(std::size_t slot) noexcept {
        const std::size_t free = free_count_.load(std::memory_order_relaxed);
        free_[free] = slot / size_;
        free_count_.store(free + 1, std::memory_order_relaxed);
    }

    /// Slots a grab could take now or once the open segment is used up (a hint).
    std::size_t available() const noexcept {
        return size_ - fill_.load(std::memory_order_relaxed) + size_ * free_count_.load(std::memory_order_relaxed);
    }

private:
    static std::size_t segment_size(std::size_t slots, std::size_t grab) noexcept {
        std::size_t size = 1;
        while (2 * size <= std::min(grab, slots)) size *= 2;
        return size;
    }

    const std::size_t size_;   // slots per segment
    const std::size_t count_;  // segments
    std::unique_ptr<std::atomic<std::size_t>[]> left_;  // per segment: its slots not given back since it was opened
    std::unique_ptr<std::size_t[]> free_;               // a stack of free segments, under the input lock
    std::atomic<std::size_t> free_count_{0};            // written under the input lock; read as a hint by available()
    std::size_t open_ = 0;                              // the segment grabs take slots from (under the input lock)
    std::atomic<std::size_t> fill_{0};                  // its slots taken (written under the input lock)
};

} // namespace parmap::detail
