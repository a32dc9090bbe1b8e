// parmap: how a stream's results reach its consumer (imap, imap_unordered), and how big its grabs are.
// A grab's results are constructed in place in contiguous ring slots and published with one release-store
// (ordered: a mark at the grab's first slot) or one short lock (unordered: the finished list) per grab; the
// consumer then walks a published grab with no synchronisation per element, through a cursor its iterator copies,
// and claims its cache lines before giving its slots back (result_ring::claim).
#pragma once

#include <parmap/policy.hpp>
#include <parmap/worker_index.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <type_traits>
#include <utility>

namespace parmap::detail {

/// The most elements one grab takes under automatic chunking, and the most a .chunk(c) grab takes.
inline constexpr std::size_t max_grab = 1024;

/// Under automatic chunking a grab doubles, from one element, while it runs for less than this many ticks
/// (about 4 us at 3 GHz): then handing its results over (a lock, a release-store, a few cache lines, the
/// consumer's batch) costs a few percent of the grab, and an element waits at most a few us for the
/// others of its grab before imap_unordered hands it out.
inline constexpr std::uint64_t grab_ticks = 12'000;

/// The sizes of a stream: ring slots and the most elements one grab takes.
struct stream_sizes {
    std::size_t capacity;
    std::size_t grab;
    bool adaptive;  // automatic chunking: grabs start at one element and double up to `grab` (see grab_ticks)
};

/// .buffer(k) and .chunk(...) for a stream on `workers` threads: a grab is the chunk size (automatic: 1,
/// doubling while a grab runs for less than grab_ticks, up to max_grab, so the first result comes after
/// one element and a trivial f still amortises the hand-off); the default buffer is 4 grabs per worker.
inline stream_sizes stream_sizes_for(const policy_options& options, std::size_t workers) {
    const bool adaptive = options.chunking.how == chunks::kind::automatic || options.chunking.size == 0;
    std::size_t grab = std::min(adaptive ? max_grab : options.chunking.size, max_grab);
    const std::size_t capacity = options.buffer != 0 ? options.buffer : 4 * grab * std::max<std::size_t>(workers, 1);
    grab = std::max<std::size_t>(1, std::min(grab, capacity / (2 * std::max<std::size_t>(workers, 1))));
    return {capacity, grab, adaptive};
}

/// Storage for a ring of results, each constructed and destroyed in place by the stream, which knows
/// which slots hold one (allocated as one array of T, as std::vector does, so a batch is walked by pointer).
template <class T>
class result_ring {
public:
    explicit result_ring(std::size_t size) : size_(size), data_(std::allocator<T>().allocate(size)) {}
    ~result_ring() { std::allocator<T>().deallocate(data_, size_); }
    result_ring(const result_ring&) = delete;
    result_ring& operator=(const result_ring&) = delete;

    T* at(std::size_t slot) const noexcept { return data_ + slot; }

    void destroy(std::size_t slot) noexcept {
        if constexpr (!std::is_trivially_destructible_v<T>) data_[slot].~T();
    }

    /// Writes a byte in each cache line of the slots [first, first + count), whose results are destroyed.
    /// The consumer calls it on a batch before giving it back, so that those lines are in its cache only:
    /// the thread that writes them next then misses in its own cache, where the hardware prefetcher fetches
    /// the lines ahead of its stores, instead of finding them shared with the consumer, which costs it an
    /// unprefetched round trip per line (a helper's trivial f ran 2 to 5 times slower so on the 2-core VM).
    void claim(std::size_t first, std::size_t count) noexcept {
        unsigned char* const begin = reinterpret_cast<unsigned char*>(data_ + first);
        unsigned char* const end = reinterpret_cast<unsigned char*>(data_ + first + count);
        for (unsigned char* line = begin; line < end; line = next_line(line)) *line = 0;
    }

private:
    static unsigned char* next_line(unsigned char* at) noexcept {
        const std::uintptr_t address = reinterpret_cast<std::uintptr_t>(at);
        return at + (64 - address % 64);
    }

    std::size_t size_;
    T* data_;
};

/// Where a stream's consumer is: its batch is the contiguous results [at, end).
template <class T>
struct batch_cursor {
    T* at = nullptr;
    T* end = nullptr;
    T& operator*() const noexcept { return *at; }
    /// Moves to the batch's next result; false past its last.
    bool step() noexcept { return ++at != end; }
};

/// The batch a stream's consumer walks, one grab: `results` results in slots first, first + 1, ..., and
/// the `length` slots it gives back once walked.
struct stream_batch {
    std::size_t first = 0;
    std::size_t results = 0;
    std::size_t length = 0;
};

/// One grab, as its taker publishes it: `valid` results from its first slot on, of `length` elements
/// taken; valid < length when the element after them failed (its error is in its slot; the rest never ran).
/// No initialisers: the ring's records are left untouched until written (no page faults before the first result).
struct grab_record {
    std::size_t valid;
    std::size_t length;
};

/// Ordered streams: each grab's record sits at its first slot and is published by one release-store of
/// that slot's mark (position + 1: a mark left from an earlier lap of the ring never matches).
class grab_marks {
public:
    explicit grab_marks(std::size_t size) : marks_(new std::atomic<std::size_t>[size]), records_(new grab_record[size]) {
        for (std::size_t k = 0; k < size; ++k) marks_[k].store(0, std::memory_order_relaxed);
    }

    /// The taker of the grab at `position`, in slots from `slot` on, hands it over.
    void publish(std::size_t slot, std::size_t position, grab_record record) noexcept {
        records_[slot] = record;
        marks_[slot].store(position + 1, std::memory_order_release);
    }

    /// The grab starting at `position` (in `slot`) once published, else nullptr.
    const grab_record* published(std::size_t slot, std::size_t position) const noexcept {
        return marks_[slot].load(std::memory_order_acquire) == position + 1 ? &records_[slot] : nullptr;
    }

private:
    std::unique_ptr<std::atomic<std::size_t>[]> marks_;
    std::unique_ptr<grab_record[]> records_;
};

/// How a consumer with nothing to do sleeps until a grab is published, without costing a publisher a
/// lock unless the consumer sleeps.
class consumer_wakeup {
public:
    /// After a grab is published. The fence pairs with wait()'s store of `waiting_` before its last
    /// look, so one of the two always sees the other.
    void notify() {
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (!waiting_.load(std::memory_order_relaxed)) return;
        std::lock_guard<std::mutex> lock(mutex_);
        wakeup_.notify_one();
    }

    /// Spins a little (about a grab's time) until ready(); false if it never held.
    template <class Ready>
    static bool spin(Ready ready) {
        for (int i = 0; i < 2000; ++i) {
            if (ready()) return true;
            cpu_relax();
        }
        return ready();
    }

    /// Sleeps until ready() (a result is ready, or the stream finished).
    template <class Ready>
    void wait(Ready ready) {
        std::unique_lock<std::mutex> lock(mutex_);
        waiting_.store(true, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with notify()'s fence
        while (!ready()) wakeup_.wait(lock);
        waiting_.store(false, std::memory_order_relaxed);
    }

private:
    std::atomic<bool> waiting_{false};
    std::mutex mutex_;
    std::condition_variable wakeup_;
};

/// A stream's progress, reported on the consumer: cb(results handed out, 0) while the total is unknown,
/// at most once per interval, and cb(n, n) once the input is exhausted and consumed.
template <class Progress>
class stream_progress {
public:
    explicit stream_progress(const Progress& progress) : progress_(progress) {
        if constexpr (!std::is_same_v<Progress, no_progress>) last_ = std::chrono::steady_clock::now();
    }

    void report(std::size_t delivered, bool at_end) {
        if constexpr (!std::is_same_v<Progress, no_progress>) {
            const auto now = std::chrono::steady_clock::now();
            if (at_end) {
                progress_.callback(delivered, delivered);
            } else if (now - last_ >= progress_.interval) {
                last_ = now;
                progress_.callback(delivered, std::size_t{0});
            }
        } else {
            (void)delivered, (void)at_end;
        }
    }

private:
    const Progress progress_;
    std::chrono::steady_clock::time_point last_{};
};

} // namespace parmap::detail
