// A bounded queue between one producer thread and one consumer: the gzip pipeline's blocks of text. The
// producer waits while it is full, so the memory held is at most `capacity` blocks whatever the file size.
// Not parmap::imap: the blocks are parsed with whichever backend --backend names (OpenMP, Thrust and MPI
// included, which imap does not run on), a batch at a time, while this queue's producer inflates the next.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace taxi {

/// One block of an inflated file: its index and its lines (see parse.hpp's block_text).
struct text_block {
    std::size_t index = 0;
    std::string text;
    bool ends_in_long_line = false;
};

class block_queue {
public:
    explicit block_queue(std::size_t capacity) : capacity_(capacity) {}

    /// Adds a block, waiting for room; false when the consumer has closed the queue (stop producing).
    bool push(text_block block) {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || blocks_.size() < capacity_; });
        if (closed_) return false;
        blocks_.push_back(std::move(block));
        changed_.notify_all();
        return true;
    }

    /// Up to `most` blocks, waiting for at least one; empty once the queue is closed and drained.
    std::vector<text_block> pop(std::size_t most) {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return closed_ || !blocks_.empty(); });
        std::vector<text_block> taken;
        while (!blocks_.empty() && taken.size() < most) {
            taken.push_back(std::move(blocks_.front()));
            blocks_.pop_front();
        }
        changed_.notify_all();
        return taken;
    }

    /// No more blocks will come (producer) or be taken (consumer).
    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        changed_.notify_all();
    }

private:
    std::size_t capacity_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<text_block> blocks_;
    bool closed_ = false;
};

} // namespace taxi
