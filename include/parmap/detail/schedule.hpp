// parmap: the chunk schedule of one call: which chunks exist and how participants claim them. Chunk
// boundaries depend on (n, chunking, workers, align) only, never on which thread claims what, so every
// backend cuts the same chunks, and a chunking option means the same thing everywhere.
#pragma once

#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>
#include <numeric>
#include <new>
#include <type_traits>

namespace parmap::detail {

inline constexpr std::size_t ceil_div(std::size_t a, std::size_t b) noexcept { return a / b + (a % b != 0); }

template <class...>
inline constexpr bool dependent_false = false;

/// Start of block b of `blocks` near-equal contiguous blocks of n units (the first n % blocks one unit longer).
inline std::size_t block_start(std::size_t n, std::size_t blocks, std::size_t b) noexcept {
    return b * (n / blocks) + std::min(b, n % blocks);
}

/// A plan's static_ and dynamic chunks by number: all a thread needs to run chunk c, in 32 bytes, so that
/// an OpenMP team gets them with a body of up to 24 bytes in one cache line (backend/openmp.hpp).
struct numbered_chunks {
    std::size_t elements;
    std::size_t align;
    std::size_t size;  // chunk size in units of `align` elements; 0: `blocks` near-equal contiguous blocks
    std::size_t blocks;

    /// Units of `align` elements: computed, not kept, so that parallel_map's body fits the team's line too.
    std::size_t units() const noexcept { return align == 1 ? elements : ceil_div(elements, align); }
    std::size_t count() const noexcept { return size == 0 ? blocks : ceil_div(units(), size); }

    /// Calls run(begin, end) with the element indices of chunk number c < count().
    template <class Run>
    void run(std::size_t c, Run&& run_elements) const {
        const std::size_t n = units();
        const std::size_t begin = size == 0 ? block_start(n, blocks, c) : c * size;
        const std::size_t end = size == 0 ? block_start(n, blocks, c + 1) : std::min(n, (c + 1) * size);
        run_elements(std::min(elements, begin * align), std::min(elements, end * align));
    }
};

/// Which chunks one call has: [0, n) cut into chunks whose boundaries are multiples of `align`
/// (map-reduce blocks; sizes in the chunking are in elements). No shared state and no allocation, so a
/// backend that hands chunks out its own way (an OpenMP worksharing loop) reads the same chunks here.
///
/// automatic and static_ give each worker a slot: a fixed series of chunks (automatic: one contiguous
/// block in sub-chunks; static_(0): one contiguous block; static_(k): chunks c, c + workers, ... of k).
/// dynamic and guided chunks are handed out in order to whoever asks (guided: sizes shrink with what is left).
class chunk_plan {
public:
    chunk_plan(std::size_t n, chunks::chunking c, std::size_t workers, std::size_t align = 1)
        : elements_(n), align_(align), n_(ceil_div(n, align)), workers_(std::max<std::size_t>(workers, 1)), how_(c.how),
          size_(c.size == 0 ? 0 : ceil_div(c.size, align)) {
        switch (how_) {
        case chunks::kind::automatic: {
            const std::size_t grain = std::max<std::size_t>(size_, 1);
            size_ = std::max(grain, ceil_div(n_, 8 * workers_));  // sub-chunks: about 8 per worker
            // Sub-chunks of 1024 elements or more start on multiples of 64 (block_begin).
            const std::size_t step = 64 / std::gcd<std::size_t>(64, std::max<std::size_t>(align_, 1));
            if (size_ >= 16 * step) {
                line_units_ = step;
                size_ = ceil_div(size_, step) * step;
            }
            slot_count_ = std::min(workers_, ceil_div(n_, grain));
            break;
        }
        case chunks::kind::static_:
            slot_count_ = size_ == 0 ? std::min(workers_, n_) : std::min(workers_, ceil_div(n_, size_));
            break;
        default:
            size_ = std::max<std::size_t>(size_, 1);
            break;
        }
    }

    /// The number of elements, n.
    std::size_t size() const noexcept { return elements_; }

    /// The kind of chunking.
    chunks::kind how() const noexcept { return how_; }

    /// How many participants could work at once: more would find nothing to claim.
    std::size_t max_participants() const noexcept { return std::min(workers_, slotted() ? slot_count_ : ceil_div(n_, size_)); }

    /// static_ and dynamic: the chunks, numbered in index order. static_ deals chunk c to slot
    /// c % max_participants() (static_(0): one chunk per slot), like OpenMP's schedule(static, 1).
    numbered_chunks numbered() const noexcept { return {elements_, align_, whole_blocks() ? 0 : size_, slot_count_}; }

    /// static_ and dynamic: the number of chunks.
    std::size_t chunk_count() const noexcept { return numbered().count(); }

protected:
    /// Calls run(begin, end) with the element indices of units [begin, end).
    template <class Run>
    void run_units(std::size_t begin, std::size_t end, Run& run_elements) const {
        run_elements(std::min(elements_, begin * align_), std::min(elements_, end * align_));
    }

    /// Start of block b of slot_count_ near-equal contiguous blocks. Under automatic chunking with sub-chunks
    /// of 1024 elements or more, each block and sub-chunk starts on a multiple of 64 elements (at most 63 off
    /// the even split): a vector loop over floats that starts 8 bytes off a 16-byte boundary splits a
    /// quarter of its loads and stores across cache lines (README: "Where the chunk loop lands").
    std::size_t block_begin(std::size_t b) const noexcept {
        const std::size_t begin = block_start(n_, slot_count_, b);
        return b == slot_count_ ? begin : begin / line_units_ * line_units_;
    }

    bool slotted() const noexcept { return how_ == chunks::kind::automatic || how_ == chunks::kind::static_; }
    bool round_robin() const noexcept { return how_ == chunks::kind::static_ && size_ != 0; }
    bool whole_blocks() const noexcept { return how_ == chunks::kind::static_ && size_ == 0; }

    std::size_t chunks_in_slot(std::size_t s) const noexcept {
        if (round_robin()) return ceil_div(ceil_div(n_, size_) - s, slot_count_);
        if (whole_blocks()) return 1;
        return ceil_div(block_begin(s + 1) - block_begin(s), size_);
    }

    std::size_t elements_;
    std::size_t align_;
    std::size_t n_;  // units of `align` elements
    std::size_t workers_;
    chunks::kind how_;
    std::size_t size_;            // chunk size in units (automatic: sub-chunk size; static_(0): 0)
    std::size_t line_units_ = 1;  // automatic: blocks and sub-chunks start on multiples of this many units
    std::size_t slot_count_ = 0;  // automatic and static_: worker slots (0 when n is 0)
};

/// A chunk_plan's chunks handed to participants that call work() concurrently.
///
/// A participant drains the slot its hint names first, so the same worker gets the same memory call
/// after call, then helps drain the others, so a busy or late worker never holds a call up.
/// dynamic and guided hand out chunks from one counter, in order, to whoever asks.
class chunk_schedule : public chunk_plan {
public:
    chunk_schedule(std::size_t n, chunks::chunking c, std::size_t workers, std::size_t align = 1)
        : chunk_plan(n, c, workers, align) {
        if (slotted()) make_slots(slot_count_);
    }

    /// Claims and runs chunks through run(begin, end) (element indices) until none are left or
    /// halted() says stop; halted() is asked before every chunk. `hint` names the participant (0 for
    /// the caller), so that each one starts on a slot of its own.
    template <class Run, class Halted>
    void work(Run&& run_elements, Halted&& halted, std::size_t hint = 0) {
        auto run = [&](std::size_t begin, std::size_t end) { run_units(begin, end, run_elements); };
        if (slotted()) {
            if (slot_count_ == 0) return;
            const std::size_t home = hint % slot_count_;
            for (std::size_t k = 0; k < slot_count_; ++k) {
                const std::size_t s = home + k < slot_count_ ? home + k : home + k - slot_count_;
                if (!drain(s, run, halted)) return;
            }
        } else if (how_ == chunks::kind::dynamic) {
            while (!halted()) {
                std::size_t begin = next_.fetch_add(size_, std::memory_order_relaxed);
                if (begin >= n_) return;
                run(begin, std::min(n_, begin + size_));
            }
        } else {  // guided: size shrinks with what is left
            while (!halted()) {
                std::size_t begin = next_.load(std::memory_order_relaxed);
                std::size_t end = 0;
                do {
                    if (begin >= n_) return;
                    end = begin + std::max(size_, ceil_div(n_ - begin, 2 * workers_));
                } while (!next_.compare_exchange_weak(begin, end, std::memory_order_relaxed));
                run(begin, std::min(n_, end));
            }
        }
    }

private:
    struct alignas(64) slot_cursor {  // a cache line each: an owner claims from its own without contention
        std::atomic<std::size_t> next{0};  // index of the slot's next chunk
        std::size_t count = 0;             // chunks in the slot
    };

    /// Up to this many slots live in the schedule itself (on the caller's stack), so that a call on up to 8
    /// workers allocates nothing; only the slots a call uses are constructed, so only their lines are written.
    static constexpr std::size_t inline_slots = 8;

    void make_slots(std::size_t count) {
        if (count > inline_slots) {
            heap_slots_.reset(new slot_cursor[count]);
            slots_ = heap_slots_.get();
        } else {
            for (std::size_t s = 0; s < count; ++s) new (slot_storage_ + s * sizeof(slot_cursor)) slot_cursor;
            slots_ = std::launder(reinterpret_cast<slot_cursor*>(slot_storage_));
        }
        for (std::size_t s = 0; s < count; ++s) slots_[s].count = chunks_in_slot(s);
    }

    slot_cursor& slot(std::size_t s) noexcept { return slots_[s]; }
    const slot_cursor& slot(std::size_t s) const noexcept { return slots_[s]; }

    /// Runs chunks of slot s until it is empty; false when halted.
    template <class Run, class Halted>
    bool drain(std::size_t s, Run& run, Halted& halted) {
        slot_cursor& cursor = slot(s);
        for (;;) {
            if (halted()) return false;
            const std::size_t j = cursor.next.fetch_add(1, std::memory_order_relaxed);
            if (j >= cursor.count) return true;
            if (round_robin()) {
                const std::size_t c = s + j * slot_count_;
                run(c * size_, std::min(n_, (c + 1) * size_));
            } else if (whole_blocks()) {
                run(block_begin(s), block_begin(s + 1));
            } else {
                const std::size_t begin = block_begin(s) + j * size_;
                run(begin, std::min(block_begin(s + 1), begin + size_));
            }
        }
    }

    static_assert(std::is_trivially_destructible_v<slot_cursor>, "the inline slots are never destroyed");
    alignas(slot_cursor) unsigned char slot_storage_[inline_slots * sizeof(slot_cursor)];
    slot_cursor* slots_ = nullptr;
    std::unique_ptr<slot_cursor[]> heap_slots_;  // more than inline_slots slots
    std::atomic<std::size_t> next_{0};  // dynamic and guided: the next unit to hand out
};

} // namespace parmap::detail
