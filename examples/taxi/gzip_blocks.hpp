// The producer side of the gzip pipeline: inflates a .gz file with zlib and cuts its data into the blocks
// input_file would make of the uncompressed file (block i owns the lines starting in [i * block_size,
// (i + 1) * block_size) of the data after the header), so both give the same statistics to the bit.
#pragma once

#include "block_queue.hpp"
#include "input_file.hpp"

#include <zlib.h>

#include <cstdint>
#include <string>

namespace taxi {

class gzip_blocks {
public:
    /// Opens `path` (the checks of open_input) and reads its header line.
    gzip_blocks(const std::string& path, block_plan plan);
    ~gzip_blocks();
    gzip_blocks(const gzip_blocks&) = delete;
    gzip_blocks& operator=(const gzip_blocks&) = delete;

    const layout& columns() const { return columns_; }
    /// Pushes every block into `queue` in order; returns the number of blocks of the data (the uncompressed
    /// file's block_count()), or stops early when the queue is closed. Throws input_error (a corrupt or
    /// truncated stream).
    std::size_t run(block_queue& queue);
    /// Uncompressed bytes read so far, the header included.
    std::uint64_t bytes() const { return header_bytes_ + offset_ + pending_.size(); }

private:
    bool fill();  ///< reads more into pending_; false at the end of the stream
    void read_header();
    /// Block `index`'s text, taken off the front of pending_ (text.ends_in_long_line: the file must stop).
    text_block next_block(std::size_t index);

    std::string path_;
    block_plan plan_;
    gzFile gz_ = nullptr;
    layout columns_;
    std::string pending_;        ///< inflated data not yet in a block; starts at a line start
    std::uint64_t offset_ = 0;   ///< data offset of pending_[0]
    std::uint64_t header_bytes_ = 0;
    bool end_ = false;
};

} // namespace taxi
