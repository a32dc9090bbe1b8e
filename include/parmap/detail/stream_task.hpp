// parmap: one imap or imap_unordered stream: the pool task its helpers run and the consumer's side (see
// detail/stream.hpp for the ring and the input, detail/stream_handoff.hpp for how results reach the
// consumer). A participant takes a grab, runs f on it, constructing the results in their slots, and
// publishes the grab once; the consumer walks a published batch through an inline cursor and comes back
// here (next_batch) only at its end. Ordered streams hand out grabs in input order; unordered ones each
// finished grab, in the order the grabs finished (their slots come segment by segment: stream_segments.hpp).
#pragma once

#include <parmap/detail/small_inputs.hpp>  // ticks()
#include <parmap/detail/stream.hpp>
#include <parmap/detail/stream_finished.hpp>
#include <parmap/detail/stream_handoff.hpp>

#include <cstddef>
#include <cstdint>
#include <new>
#include <thread>
#include <type_traits>
#include <utility>

namespace parmap::detail {

/// f's result for the elements of a Range streamed (decayed; void when f cannot take them).
template <class Range, class F, class It = stream_iterator_t<std::remove_reference_t<Range>>>
using stream_result_t = std::decay_t<typename element_call<It, F, stream_element_t<It>>::type>;

template <class Range, class F, class Progress, bool Ordered, class R = stream_result_t<Range, F>,
          class It = stream_iterator_t<std::remove_reference_t<Range>>>
class stream final : public pool_task, stream_input<Range, held_t<It>, Ordered> {
    using base = stream_input<Range, held_t<It>, Ordered>;
    using typename base::slot;
    static constexpr std::size_t none = ~std::size_t{0};

public:
    using value_type = std::conditional_t<Ordered, R, indexed<R>>;
    using cursor_type = batch_cursor<value_type>;

    stream(Range&& input, F&& f, const policy_options& options, const Progress& progress, thread_pool* pool, std::size_t workers)
        : base(std::forward<Range>(input), stream_sizes_for(options, workers).capacity, stream_sizes_for(options, workers).grab),
          f_(std::forward<F>(f)),
          sizes_(stream_sizes_for(options, workers)), stop_(options.stop), progress_(progress), pool_(pool),
          helpers_(pool != nullptr ? workers - 1 : 0), results_(this->mask_ + 1), handoff_(this->mask_ + 1),
          grab_hint_(sizes_.adaptive ? 1 : sizes_.grab), consumer_grab_(sizes_.adaptive ? 1 : sizes_.grab) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    /// Stops taking input, waits for the helpers (they only finish the grab they hold), then destroys
    /// every result not handed out, once each (the slots' destructors drop inputs and errors).
    PARMAP_NOINLINE ~stream() {
        this->close();
        if (pool_ != nullptr) pool_access::join(*pool_, *this);
        destroy_pending();
    }

    /// What next_batch() found: a batch to walk, the end, or an error that rethrow() throws.
    enum class found { batch, end, error };

    /// The consumer's first step; false when there is no first result.
    PARMAP_NOINLINE bool start() {
        if (started_) return !ended_;
        started_ = true;
        const found got = next_batch();
        if (got == found::error) rethrow();
        return got == found::batch;
    }

    /// The start of the batch handed out: the iterator copies it and walks the batch by itself.
    cursor_type& cursor() noexcept { return cursor_; }

    /// Moves past the batch walked, then waits (working meanwhile) for the next ready results and makes
    /// them the batch. An element's error is due at its turn, cancelled once the stop token is signalled
    /// (checked per batch); either ends the stream. noexcept, the error left to the cold rethrow(): with an
    /// exception edge here, g++ kept the caller's double accumulator in a general register, not an SSE one.
    PARMAP_NOINLINE found next_batch() noexcept {
        if (ended_) return found::end;
        release_batch();
        try {
            if (stop_.stop_requested()) throw cancelled();
            if (failed_ != none) throw_error(this->slots_[failed_]);
            post_helpers();
            progress_.report(this->released(), false);
            auto ready = [this] { return head_ready() || this->finished(this->released()); };
            while (!head_ready()) {
                if (this->finished(this->released())) return end_normally();
                if (may_grab() && run_grab(consumer_grab_)) continue;
                if (!consumer_wakeup::spin(ready)) wakeup_.wait(ready);
            }
            open_batch();
            return found::batch;
        } catch (...) {
            ended_ = true;
            error_ = std::current_exception();
            this->close();
            return found::error;
        }
    }

    /// Throws the error next_batch() found.
    [[noreturn]] PARMAP_NOINLINE void rethrow() { std::rethrow_exception(std::exchange(error_, nullptr)); }

    /// A pool helper's turn: take and run grabs until the input closed, or the ring stayed full for a
    /// while. Its grabs start at the size the stream's grabs last reached.
    void work(std::size_t) override {
        std::size_t grab = grab_hint_.load(std::memory_order_relaxed);
        while (run_grab(grab) || room_freed(grab)) {
        }
    }
    std::chrono::nanoseconds report_interval() const noexcept override { return std::chrono::nanoseconds::zero(); }
    void report() noexcept override {}

private:
    /// Takes one grab, runs f on it and publishes it; false when nothing could be taken. Under automatic
    /// chunking `grab` doubles while a full grab runs for less than grab_ticks, and halves when one runs
    /// for far longer (elements got slower: imap_unordered hands them out sooner).
    bool run_grab(std::size_t& grab) {
        std::optional<It> at;  // forward inputs: the grab's first element, then each in turn
        std::size_t position = 0, first = 0;
        const std::size_t n = this->take(grab, first, stop_, at, position);
        if (n == 0) return false;
        const std::uint64_t start = ticks();
        const std::size_t valid = run_elements(first, position, n, at);
        const std::uint64_t spent = ticks() - start;
        if (sizes_.adaptive && n == grab && spent < grab_ticks) grab = std::min(2 * grab, sizes_.grab);
        if (sizes_.adaptive && spent > 8 * grab_ticks) grab = std::max<std::size_t>(1, grab / 2);
        if (sizes_.adaptive && grab != grab_hint_.load(std::memory_order_relaxed)) grab_hint_.store(grab, std::memory_order_relaxed);
        if constexpr (Ordered) {
            handoff_.publish(first, position, grab_record{valid, n});
        } else {
            handoff_.append(finished_grab{first, grab_record{valid, n}});
        }
        wakeup_.notify();
        return true;
    }

    /// A helper that found the ring full waits a little for the consumer to free a grab's room, for a
    /// consumer slower than f (a trivial f) keeps it busy that way; it leaves after a few grabs' time, so
    /// a consumer that stopped walking does not hold it (it is posted again when the ring empties).
    bool room_freed(std::size_t grab) const noexcept {
        const std::uint64_t start = ticks();
        while (!this->closed() && ticks() - start < 4 * grab_ticks) {
            if (this->room() >= std::min(grab, this->capacity_)) return true;
            std::this_thread::yield();  // not cpu_relax(): on a busy machine the consumer may need this core
        }
        return false;
    }

    /// Runs f on a grab's n elements, constructing their results in their slots; returns how many
    /// succeeded. Fewer than n: the element after them failed (its error is in its slot), and the rest
    /// are not needed, since a stream ends at an error.
    std::size_t run_elements(std::size_t first, std::size_t position, std::size_t n, std::optional<It>& at) noexcept {
        std::size_t k = 0;
        try {
            if constexpr (base::counted_input) {
                // The grab is *at, (*at)[1], ... and only f can fail (the input is not even read under the
                // lock): the same plain loop as a parallel_map chunk's, f and the results' address in registers.
                value_type* const out = results_.at(first);
                const It from = *at;
                auto&& f = loop_f();
                PARMAP_DETAIL_UNROLLED
                for (; k < n; ++k) {
                    construct(out + k, position + k, call_element<It>(f, *(from + static_cast<std::ptrdiff_t>(k))));
                }
                return n;
            } else {
                for (; k < n; ++k) {
                    const std::size_t id = first + k;
                    if (this->slots_[id].error != nullptr) break;
                    construct(results_.at(id), position + k, call(this->slots_[id], at, k != 0));
                    if constexpr (!is_multipass<It>::value) this->slots_[id].input.reset();
                }
                if (k == n) return n;
            }
        } catch (...) {
            this->slots_[first + k].error = std::current_exception();
        }
        this->slots_[first + k].index = position + k;  // for element_error
        if constexpr (!is_multipass<It>::value) {
            for (std::size_t j = k; j < n; ++j) this->slots_[first + j].input.reset();
        }
        this->close();  // nothing after an error is needed: stop taking input
        return k;
    }

    /// f on the element of slot s: a forward input's is *at, after one step when `step` (the steps repeat
    /// what take() did under the lock, so they succeed as they did there).
    decltype(auto) call(slot& s, std::optional<It>& at, bool step) {
        auto&& f = loop_f();
        if constexpr (is_multipass<It>::value) {
            (void)s;
            if (step) ++*at;
            return call_element<It>(f, **at);
        } else {
            return call_element<It>(f, *s.input);
        }
    }

    /// f as a grab's loop calls it: a function pointer is copied, so that it stays in a register (the
    /// stream's own is loaded again after every call, which the compiler cannot see into); any other f is
    /// the stream's object, whose state every participant shares.
    decltype(auto) loop_f() noexcept {
        if constexpr (std::is_pointer_v<std::decay_t<F>>) {
            return std::decay_t<F>(f_);
        } else {
            return (f_);
        }
    }

    /// Builds the result of input position `position` in `at`: R, or indexed<R> for imap_unordered.
    template <class V>
    static void construct(value_type* at, std::size_t position, V&& value) {
        if constexpr (Ordered) {
            (void)position;
            ::new (static_cast<void*>(at)) value_type(std::forward<V>(value));
        } else {
            ::new (static_cast<void*>(at)) value_type{position, std::forward<V>(value)};
        }
    }

    /// True when the consumer's next results (or the error due next) are published.
    bool head_ready() {
        if constexpr (Ordered) {
            const std::size_t position = this->released();
            return handoff_.published(position & this->mask_, position) != nullptr;
        } else {
            return handoff_.refill();
        }
    }

    /// Makes the published results at the head the batch and points the cursor at the first; an error
    /// due before any result is thrown at once, one due after them when the batch is walked.
    void open_batch() {
        std::size_t first;
        grab_record grab;
        if constexpr (Ordered) {
            const std::size_t position = this->released();
            first = position & this->mask_;
            grab = *handoff_.published(first, position);
        } else {
            const finished_grab& finished = handoff_.take();
            first = finished.first;
            grab = finished.record;
        }
        batch_ = {first, grab.valid, grab.length};
        failed_ = grab.valid < grab.length ? first + grab.valid : none;
        cursor_ = {results_.at(first), results_.at(first) + grab.valid};
        if (grab.valid == 0) throw_error(this->slots_[failed_]);
    }

    [[noreturn]] void throw_error(const slot& s) {
        if constexpr (Ordered) std::rethrow_exception(s.error);
        throw_element_error(s.index, s.error);
    }

    /// Destroys the batch's results and gives its slots back, their cache lines claimed first when
    /// helpers may write them next (result_ring::claim).
    void release_batch() noexcept {
        for (std::size_t k = 0; k < batch_.results; ++k) results_.destroy(batch_.first + k);
        if (helpers_ != 0) results_.claim(batch_.first, batch_.length);
        if (batch_.length != 0) this->release(batch_.first, batch_.length);
        batch_ = stream_batch{};
    }

    /// The destructor's part: the results of the batch being walked, and of every grab published after it.
    void destroy_pending() noexcept {
        if constexpr (!std::is_trivially_destructible_v<value_type>) {
            for (std::size_t k = 0; k < batch_.results; ++k) results_.destroy(batch_.first + k);
            if constexpr (Ordered) {
                for (std::size_t p = this->released() + batch_.length; p < this->taken();) {
                    const grab_record* grab = handoff_.published(p & this->mask_, p);
                    if (grab == nullptr) break;  // not reached: every grab taken was published before the join
                    for (std::size_t k = 0; k < grab->valid; ++k) results_.destroy((p & this->mask_) + k);
                    p += grab->length;
                }
            } else {
                handoff_.for_each_pending([this](std::size_t id) { results_.destroy(id); });
            }
        }
    }

    /// Whether the consumer should take a grab of its own while its next result is not ready: always
    /// when no helper works on the stream or no grab is being run, else only while that leaves room for
    /// one more grab per helper. A consumer that filled the ring would make the helpers wait, or leave
    /// and have it do all the work alone; one that stopped at half the ring waited out much of each grab
    /// of a helper slower than itself (in the 2-core VM's slow state, 1.1 ms of a 3.4 ms stream of a
    /// trivial f). When it does not grab, its next result is in a grab being run, so waiting is safe.
    bool may_grab() const noexcept {
        const std::size_t helpers = active.load(std::memory_order_relaxed);
        if (helpers == 0 || this->taken() == this->released()) return true;
        return this->room() >= (helpers + 1) * grab_hint_.load(std::memory_order_relaxed);
    }

    /// Posts idle pool threads to the stream when fewer than asked for work on it and a quarter of the
    /// ring is free (helpers leave when it is full); the consumer looks once per batch.
    void post_helpers() {
        if (pool_ == nullptr) return;
        const std::size_t active_now = active.load(std::memory_order_relaxed);
        if (active_now < helpers_ && 4 * this->room() >= this->capacity_) pool_access::post(*pool_, *this, helpers_ - active_now);
    }

    found end_normally() {
        ended_ = true;
        progress_.report(this->released(), true);
        return found::end;
    }

    std::decay_t<F> f_;
    const stream_sizes sizes_;
    const stop_token stop_;
    stream_progress<Progress> progress_;
    thread_pool* const pool_;
    const std::size_t helpers_;  // pool threads the stream asks for: workers - 1
    result_ring<value_type> results_;
    std::conditional_t<Ordered, grab_marks, finished_list> handoff_;
    consumer_wakeup wakeup_;
    std::atomic<std::size_t> grab_hint_;  // the grab size participants last chose (automatic chunking)
    // The consumer's own state, on lines of its own.
    alignas(64) cursor_type cursor_;
    stream_batch batch_;
    std::size_t failed_ = none;  // the slot whose error is due once the batch is walked
    std::exception_ptr error_;   // what rethrow() throws
    std::size_t consumer_grab_ = 1;
    bool started_ = false;
    bool ended_ = false;
};

} // namespace parmap::detail
