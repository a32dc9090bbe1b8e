// One input file of parmap-taxi opened for reading in blocks: its header checked, its data cut into blocks
// at fixed byte offsets. Block i owns the lines that start in [data_start + i * block_size, data_start +
// (i + 1) * block_size): the boundaries depend on the file alone, never on the workers, so the statistics
// combined over the blocks have the same bits on every backend and rank count. Each block is read with
// pread into its thread's own buffer (block_size + max_line bytes), so memory never grows with the file.
#pragma once

#include "block_stats.hpp"
#include "parse.hpp"
#include "schema.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace taxi {

/// A problem with one input file: the message names the file and says what is wrong, in one line.
struct input_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// How files are cut: bytes per block and the longest line accepted.
struct block_plan {
    std::size_t block_size = std::size_t{1} << 20;
    std::size_t max_line = std::size_t{1} << 16;
};

/// The header line of a text (the bytes before its first newline), checked: a line over max_line, a NUL
/// byte or a header without either service's columns is an input_error naming `path`.
layout layout_of_header(const std::string& path, const char* text, std::size_t size, bool complete, std::size_t max_line);

/// `path` opened read-only, its size in `size`: missing, unreadable, a directory, not a regular file or empty
/// is an input_error.
int open_input(const std::string& path, std::uint64_t& size);

/// An uncompressed CSV file, open read-only.
class input_file {
public:
    /// Opens and checks `path`: missing, unreadable, a directory, not a regular file, empty or a bad header
    /// is an input_error.
    input_file(const std::string& path, block_plan plan);
    ~input_file();
    input_file(const input_file&) = delete;
    input_file& operator=(const input_file&) = delete;

    const layout& columns() const { return columns_; }
    std::uint64_t size() const { return size_; }
    std::size_t block_count() const;
    /// The statistics of block i (thread-safe: pread into this thread's buffer).
    block_stats block(std::size_t i) const;

private:
    std::string path_;
    block_plan plan_;
    int fd_ = -1;
    std::uint64_t size_ = 0;
    std::uint64_t data_start_ = 0;
    layout columns_;
};

} // namespace taxi
