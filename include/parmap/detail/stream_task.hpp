// parmap: one imap or imap_unordered stream: the pool task its helpers run and the consumer's side (see
// detail/stream.hpp for the ring and the input). Ordered streams hand results out in input order, from
// the ring slot of the next position; unordered ones in the order they complete, through a list of
// finished slot numbers that each grab appends to once it has run (so one grab's results come together).
#pragma once

#include <parmap/detail/stream.hpp>
#include <parmap/detail/stream_finished.hpp>

#include <array>

namespace parmap::detail {

/// f's result for the elements of a Range streamed (decayed; void when f cannot take them).
template <class Range, class F, class It = stream_iterator_t<std::remove_reference_t<Range>>>
using stream_result_t = std::decay_t<typename element_call<It, F, stream_element_t<It>>::type>;

template <class Range, class F, class Progress, bool Ordered, class R = stream_result_t<Range, F>,
          class It = stream_iterator_t<std::remove_reference_t<Range>>>
class stream final : public pool_task, stream_input<Range, held_t<It>, std::conditional_t<Ordered, R, indexed<R>>, Ordered> {
    using base = stream_input<Range, held_t<It>, std::conditional_t<Ordered, R, indexed<R>>, Ordered>;
    using typename base::slot;
    using clock = std::chrono::steady_clock;

public:
    using value_type = std::conditional_t<Ordered, R, indexed<R>>;

    stream(Range&& input, F&& f, const policy_options& options, const Progress& progress, thread_pool* pool, std::size_t workers)
        : base(std::forward<Range>(input), stream_sizes_for(options, workers).capacity), f_(std::forward<F>(f)),
          sizes_(stream_sizes_for(options, workers)), stop_(options.stop), progress_(progress), pool_(pool),
          helpers_(pool != nullptr ? workers - 1 : 0), finished_(Ordered ? 0 : this->capacity_),
          consumer_grab_(sizes_.adaptive ? 1 : sizes_.grab) {
        if constexpr (!std::is_same_v<Progress, no_progress>) last_report_ = clock::now();
    }
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    /// Stops taking input, waits for the helpers (they only finish the grab they hold), and lets the
    /// slots' destructors destroy every input and result still held, once each.
    ~stream() {
        this->close();
        if (pool_ != nullptr) pool_access::join(*pool_, *this);
    }

    /// The consumer's first step; false when there is no first result.
    bool start() {
        if (started_) return !ended_;
        started_ = true;
        return next_batch();
    }

    /// The result the consumer is at.
    value_type& current() noexcept { return *this->results_[current_]; }

    /// Moves to the next result; false at the end. Within a batch of ready results this is a step; at
    /// its end next_batch() runs work until more are ready.
    bool advance() {
        if (cursor_ + 1 < batch_end_) {
            current_ = slot_of(++cursor_);
            ++delivered_;
            return true;
        }
        return next_batch();
    }

    /// A pool helper's turn: take and run grabs until the ring is full or the input closed.
    void work(std::size_t) override {
        std::size_t grab = sizes_.adaptive ? 1 : sizes_.grab;
        while (run_grab(grab)) {
        }
    }
    std::chrono::nanoseconds report_interval() const noexcept override { return std::chrono::nanoseconds::zero(); }
    void report() noexcept override {}

private:
    /// Takes one grab and runs f on it; false when nothing could be taken. `grab` doubles up to the
    /// grab size under automatic chunking.
    bool run_grab(std::size_t& grab) {
        std::array<std::size_t, max_grab> ids;
        std::optional<It> at;  // forward inputs: the grab's first element, then each in turn
        std::size_t position = 0;
        const std::size_t n = this->take(grab, ids.data(), stop_, at, position);
        if (sizes_.adaptive) grab = std::min(2 * grab, sizes_.grab);
        if (n == 0) return false;
        for (std::size_t k = 0; k < n; ++k) run(ids[k], position + k, at, k != 0);
        if constexpr (!Ordered) finished_.append(ids.data(), n);
        wake_consumer();
        return true;
    }

    /// Runs f on the element of slot `id` (a forward input's is *at, after one step when `step`). The
    /// steps repeat what take() did under the lock, so they succeed as they did there.
    void run(std::size_t id, std::size_t position, std::optional<It>& at, bool step) noexcept {
        slot& s = this->slots_[id];
        if constexpr (!Ordered) s.index = position;  // for element_error
        // A counted input is never read under the lock, so only f can fail: its slot is not even looked at.
        bool bad = !base::counted_input && s.error != nullptr;
        if (!bad) {
            try {
                if constexpr (Ordered) {
                    this->results_[id].emplace(call(s, at, step));
                } else {
                    this->results_[id].emplace(value_type{position, call(s, at, step)});
                }
            } catch (...) {
                s.error = std::current_exception();
                bad = true;
                this->close();  // nothing after an error is needed: stop taking input
            }
            if constexpr (!is_multipass<It>::value) s.input.reset();
        }
        this->ready_[id].store(ready_mark(position, bad), std::memory_order_release);
    }

    decltype(auto) call(slot& s, std::optional<It>& at, bool step) {
        if constexpr (is_multipass<It>::value) {
            if (step) ++*at;
            return call_element<It>(f_, **at);
        } else {
            return call_element<It>(f_, *s.input);
        }
    }

    /// After a grab: a consumer asleep waiting for a result is woken. The fence pairs with the consumer's
    /// store of `waiting_` before its last look, so one of the two always sees the other.
    void wake_consumer() {
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (!waiting_.load(std::memory_order_relaxed)) return;
        std::lock_guard<std::mutex> lock(wait_mutex_);
        wakeup_.notify_one();
    }

    /// Releases the batch handed out, then waits (working meanwhile) for the next ready results and hands
    /// out the first. An element's error is thrown at its turn, cancelled when the stop token was
    /// signalled (checked once per batch, as parallel_map checks between chunks); either ends the stream.
    bool next_batch() {
        if (ended_) return false;
        release_batch();
        try {
            if (stop_.stop_requested()) throw cancelled();
            post_helpers();
            report(false);
            while (!head_ready()) {
                if (this->finished(delivered_)) return end_normally();
                if (!(may_grab() && run_grab(consumer_grab_))) wait_for_result();
            }
            open_batch();
            return true;
        } catch (...) {
            ended_ = true;
            this->close();
            throw;
        }
    }

    /// The slot of batch entry c: an ordered stream's entries are positions, an unordered one's index
    /// the finished list.
    std::size_t slot_of(std::size_t c) const noexcept {
        if constexpr (Ordered) {
            return c & this->mask_;
        } else {
            return finished_[c];
        }
    }

    bool failed(std::size_t id) const noexcept { return (this->ready_[id].load(std::memory_order_acquire) & 1) != 0; }

    /// True when the consumer's next result is ready.
    bool head_ready() {
        if constexpr (Ordered) {
            return this->ready_[delivered_ & this->mask_].load(std::memory_order_acquire) >> 1 == delivered_ + 1;
        } else {
            return finished_.refill() != 0;
        }
    }

    /// Makes the ready results from the head on (at most max_grab, and an error only alone) the batch,
    /// and hands out its first, throwing its error if it failed.
    void open_batch() {
        std::size_t first = delivered_, available = max_grab;
        if constexpr (!Ordered) {
            first = finished_.next();
            available = std::min(available, finished_.refill());
        }
        std::size_t n = 1;
        if (!failed(slot_of(first))) {
            for (; n < available; ++n) {
                const std::size_t id = slot_of(first + n);
                if constexpr (Ordered) {
                    if (this->ready_[id].load(std::memory_order_acquire) != ready_mark(first + n, false)) break;
                } else {
                    if (failed(id)) break;
                }
            }
        }
        if constexpr (!Ordered) finished_.take(n);
        cursor_ = batch_start_ = first;
        batch_end_ = first + n;
        current_ = slot_of(first);
        ++delivered_;
        if (failed(current_)) throw_error(this->slots_[current_]);
    }

    [[noreturn]] void throw_error(const slot& s) {
        if constexpr (Ordered) {
            std::rethrow_exception(s.error);
        } else {
            try {
                std::rethrow_exception(s.error);
            } catch (const std::exception& e) {
                throw element_error(s.index, e.what());
            } catch (...) {
                throw element_error(s.index, "an exception not derived from std::exception");
            }
        }
    }

    /// Gives the batch's slots back. Only what needs it is written: the next taker's writes to them
    /// then find no line the consumer made its own; trivially destructible results are left to be overwritten.
    void release_batch() noexcept {
        const std::size_t count = batch_end_ - batch_start_;
        for (std::size_t c = batch_start_; c < batch_end_; ++c) {
            const std::size_t id = slot_of(c);
            if constexpr (!std::is_trivially_destructible_v<value_type>) this->results_[id].reset();
            if (failed(id)) this->slots_[id].error = nullptr;
        }
        this->release(count, [this](std::size_t k) { return slot_of(batch_start_ + k); });
        batch_start_ = batch_end_ = cursor_ = 0;
    }

    /// Whether the consumer should take a grab of its own while its next result is not ready: always
    /// when no helper works on the stream, else only while half the ring is free. A consumer that filled
    /// the ring ahead of a helper's grab would make that helper leave, and then do all the work alone.
    /// (Its next result is then in a grab being run, so waiting for it is safe.)
    bool may_grab() const noexcept {
        return active.load(std::memory_order_relaxed) == 0 || 2 * this->room() >= this->capacity_;
    }

    /// Spins a little, then sleeps until a completer wakes it (a result is ready, or the grab that holds
    /// it ended).
    void wait_for_result() {
        for (int i = 0; i < 2000; ++i) {
            if (head_ready()) return;
            cpu_relax();
        }
        std::unique_lock<std::mutex> lock(wait_mutex_);
        waiting_.store(true, std::memory_order_relaxed);
        std::atomic_thread_fence(std::memory_order_seq_cst);  // pairs with wake_consumer()'s fence
        while (!head_ready() && !this->finished(delivered_)) wakeup_.wait(lock);
        waiting_.store(false, std::memory_order_relaxed);
    }

    /// Posts idle pool threads to the stream when fewer than asked for work on it and a quarter of the
    /// ring is free (helpers leave when it is full); the consumer looks once per batch.
    void post_helpers() {
        if (pool_ == nullptr) return;
        const std::size_t active_now = active.load(std::memory_order_relaxed);
        if (active_now < helpers_ && 4 * this->room() >= this->capacity_) pool_access::post(*pool_, *this, helpers_ - active_now);
    }

    bool end_normally() {
        ended_ = true;
        report(true);
        return false;
    }

    /// Progress while streaming: cb(results handed out, 0), the total being unknown; at the end cb(n, n).
    void report(bool at_end) {
        if constexpr (!std::is_same_v<Progress, no_progress>) {
            const auto now = clock::now();
            if (at_end) {
                progress_.callback(delivered_, delivered_);
            } else if (now - last_report_ >= progress_.interval) {
                last_report_ = now;
                progress_.callback(delivered_, std::size_t{0});
            }
        } else {
            (void)at_end;
        }
    }

    std::decay_t<F> f_;
    const stream_sizes sizes_;
    const stop_token stop_;
    const Progress progress_;
    thread_pool* const pool_;
    const std::size_t helpers_;  // pool threads the stream asks for: workers - 1
    finished_list finished_;  // unordered streams only
    std::atomic<bool> waiting_{false};
    std::mutex wait_mutex_;
    std::condition_variable wakeup_;
    // The consumer's own state, on lines of its own.
    alignas(64) std::size_t consumer_grab_ = 1;
    std::size_t delivered_ = 0;    // results handed out, the current one included
    std::size_t current_ = 0;      // the current result's slot
    std::size_t cursor_ = 0;       // the current batch entry; the batch is [batch_start_, batch_end_)
    std::size_t batch_start_ = 0;
    std::size_t batch_end_ = 0;
    bool started_ = false;
    bool ended_ = false;
    clock::time_point last_report_{};
};

} // namespace parmap::detail
