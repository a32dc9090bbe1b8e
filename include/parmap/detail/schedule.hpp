// parmap: the chunk schedule of one call: which chunks exist and how participants claim them. Chunk
// boundaries depend on (n, chunking, workers, align) only, never on which thread claims what, so every
// backend cuts the same chunks, and a chunking option means the same thing everywhere.
#pragma once

#include <parmap/policy.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <memory>

namespace parmap::detail {

inline constexpr std::size_t ceil_div(std::size_t a, std::size_t b) noexcept { return a / b + (a % b != 0); }

template <class...>
inline constexpr bool dependent_false = false;

/// Cuts [0, n) into chunks whose boundaries are multiples of `align` (map-reduce blocks; sizes in the
/// chunking are in elements) and hands them to participants that call work() concurrently.
class chunk_schedule {
public:
    chunk_schedule(std::size_t n, chunks::chunking c, std::size_t workers, std::size_t align = 1)
        : elements_(n), align_(align), n_(ceil_div(n, align)), workers_(std::max<std::size_t>(workers, 1)), how_(c.how),
          size_(c.size == 0 ? 0 : ceil_div(c.size, align)) {
        switch (how_) {
        case chunks::kind::automatic: {
            // One contiguous block per worker, each worker draining its own block in sub-chunks and then
            // helping with the others': a worker keeps the same block call after call (cache affinity,
            // like static), yet a slow or busy worker's leftovers are taken by the others (like dynamic).
            const std::size_t grain = std::max<std::size_t>(size_, 1);
            size_ = std::max(grain, ceil_div(n_, 8 * workers_));
            blocks_ = std::min(workers_, ceil_div(n_, grain));
            units_ = blocks_;
            if (blocks_ > 1) {
                slots_.reset(new block_cursor[blocks_]);
                for (std::size_t b = 0; b < blocks_; ++b) {
                    slots_[b].next.store(block_begin(b), std::memory_order_relaxed);
                    slots_[b].end = block_begin(b + 1);
                }
            }
            break;
        }
        case chunks::kind::static_:
            blocks_ = size_ == 0 ? std::min(workers_, n_) : ceil_div(n_, size_);
            units_ = std::min(workers_, blocks_);
            break;
        default:  // dynamic, guided: at most this many chunks, guided usually far fewer
            units_ = ceil_div(n_, size_);
            break;
        }
    }

    /// The number of elements, n.
    std::size_t size() const noexcept { return elements_; }

    /// How many participants could work at once: more would find nothing to claim.
    std::size_t max_participants() const noexcept { return std::min(workers_, units_); }

    /// True when nothing is left to claim.
    bool exhausted() const noexcept {
        switch (how_) {
        case chunks::kind::automatic:
            if (slots_ == nullptr) return next_.load(std::memory_order_relaxed) >= n_;
            for (std::size_t b = 0; b < blocks_; ++b) {
                if (slots_[b].next.load(std::memory_order_relaxed) < slots_[b].end) return false;
            }
            return true;
        case chunks::kind::static_:
            return next_.load(std::memory_order_relaxed) >= units_;
        default:
            return next_.load(std::memory_order_relaxed) >= n_;
        }
    }

    /// Claims and runs chunks through run(begin, end) (element indices) until none are left or
    /// halted() says stop; halted() is asked before every chunk.
    template <class Run, class Halted>
    void work(Run&& run_elements, Halted&& halted) {
        auto run = [&](std::size_t begin, std::size_t end) {
            run_elements(std::min(elements_, begin * align_), std::min(elements_, end * align_));
        };
        switch (how_) {
        case chunks::kind::automatic:
            return work_blocks(run, halted);
        case chunks::kind::static_:
            // A participant claims a worker slot and runs that slot's chunks: c, c + workers, ...
            while (!halted()) {
                std::size_t slot = next_.fetch_add(1, std::memory_order_relaxed);
                if (slot >= units_) return;
                for (std::size_t c = slot; c < blocks_; c += workers_) {
                    if (c != slot && halted()) return;
                    run(static_begin(c), static_begin(c + 1));
                }
            }
            return;
        case chunks::kind::dynamic:
            while (!halted()) {
                std::size_t begin = next_.fetch_add(size_, std::memory_order_relaxed);
                if (begin >= n_) return;
                run(begin, std::min(n_, begin + size_));
            }
            return;
        default:
            while (!halted()) {
                std::size_t begin = next_.load(std::memory_order_relaxed);
                std::size_t end = 0;
                do {
                    if (begin >= n_) return;
                    end = begin + std::max(size_, ceil_div(n_ - begin, 2 * workers_));
                } while (!next_.compare_exchange_weak(begin, end, std::memory_order_relaxed));
                run(begin, std::min(n_, end));
            }
            return;
        }
    }

private:
    struct alignas(64) block_cursor {  // a cache line each: owners claim from their own without contention
        std::atomic<std::size_t> next{0};
        std::size_t end = 0;
    };

    template <class Run, class Halted>
    void work_blocks(Run& run, Halted& halted) {
        if (slots_ == nullptr) {  // a single block: plain sub-chunks in order
            while (!halted()) {
                std::size_t begin = next_.fetch_add(size_, std::memory_order_relaxed);
                if (begin >= n_) return;
                run(begin, std::min(n_, begin + size_));
            }
            return;
        }
        // First the blocks nobody has claimed yet, then whatever is left in anyone's.
        std::size_t home = 0;
        while ((home = next_.fetch_add(1, std::memory_order_relaxed)) < blocks_) {
            if (!drain(home, run, halted)) return;
        }
        for (std::size_t b = 0; b < blocks_; ++b) {
            if (!drain(b, run, halted)) return;
        }
    }

    /// Runs sub-chunks of block b until it is empty; false when halted.
    template <class Run, class Halted>
    bool drain(std::size_t b, Run& run, Halted& halted) {
        block_cursor& s = slots_[b];
        for (;;) {
            if (halted()) return false;
            std::size_t begin = s.next.fetch_add(size_, std::memory_order_relaxed);
            if (begin >= s.end) return true;
            run(begin, std::min(s.end, begin + size_));
        }
    }

    /// Start of block b of `blocks_` near-equal blocks (the first n % blocks one unit longer).
    std::size_t block_begin(std::size_t b) const noexcept {
        std::size_t q = n_ / blocks_, r = n_ % blocks_;
        return b * q + std::min(b, r);
    }

    std::size_t static_begin(std::size_t c) const noexcept { return size_ != 0 ? std::min(n_, c * size_) : block_begin(c); }

    std::size_t elements_;
    std::size_t align_;
    std::size_t n_;  // units of `align` elements
    std::size_t workers_;
    chunks::kind how_;
    std::size_t size_;         // chunk size in units (automatic: sub-chunk size)
    std::size_t blocks_ = 0;   // automatic: worker blocks; static: number of chunks
    std::size_t units_ = 0;    // how many participants can be busy at once, at most
    std::unique_ptr<block_cursor[]> slots_;
    std::atomic<std::size_t> next_{0};
};

} // namespace parmap::detail
