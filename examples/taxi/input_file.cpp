// Reading a CSV file block by block; see input_file.hpp.
#include "input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

namespace taxi {
namespace {

/// Reads up to `size` bytes at `offset`; fewer only at the end of the file.
std::size_t read_at(int fd, const std::string& path, char* to, std::size_t size, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < size) {
        const ssize_t got = ::pread(fd, to + done, size - done, static_cast<off_t>(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) throw input_error(path + ": cannot read: " + std::strerror(errno));
        if (got == 0) break;
        done += static_cast<std::size_t>(got);
    }
    return done;
}

std::string joined(const std::vector<std::string>& names) {
    std::string all;
    for (const std::string& n : names) all += (all.empty() ? "" : ", ") + n;
    return all;
}

} // namespace

int open_input(const std::string& path, std::uint64_t& size) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) throw input_error(path + ": cannot open: " + std::strerror(errno));
    struct stat info {};
    const char* problem = nullptr;
    if (::fstat(fd, &info) != 0) problem = "cannot stat";
    else if (S_ISDIR(info.st_mode)) problem = "is a directory, not a CSV file";
    else if (!S_ISREG(info.st_mode)) problem = "is not a regular file";
    else if (info.st_size == 0) problem = "is empty (no header line)";
    if (problem) {
        ::close(fd);
        throw input_error(path + ": " + problem);
    }
    size = static_cast<std::uint64_t>(info.st_size);
    return fd;
}

layout layout_of_header(const std::string& path, const char* text, std::size_t size, bool complete, std::size_t max_line) {
    const char* newline = static_cast<const char*>(std::memchr(text, '\n', size));
    const std::size_t length = newline ? static_cast<std::size_t>(newline - text) : size;
    const bool control = std::any_of(text, text + length, [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return (byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7f;
    });
    if (control) throw input_error(path + ": binary data (control bytes in the first line), not a CSV text file");
    if (!newline && !complete) throw input_error(path + ": the header line is longer than " + std::to_string(max_line) + " bytes");
    const std::vector<std::string> names = split_header(std::string_view(text, length));
    if (const std::optional<layout> found = find_layout(names)) return *found;
    std::string shown = joined(names);
    if (shown.size() > 300) shown = shown.substr(0, 300) + "...";
    throw input_error(path + ": the header lacks the needed columns (yellow: fare_amount, tip_amount, trip_distance; "
                      "rideshare: base_passenger_fare, tips, trip_miles); it has: " + shown);
}

input_file::input_file(const std::string& path, block_plan plan) : path_(path), plan_(plan) {
    fd_ = open_input(path, size_);
    try {
        const std::size_t header_cap = std::max<std::size_t>(plan.max_line, 65536);  // a small --max-line is for rows
        std::vector<char> head(std::min<std::uint64_t>(size_, header_cap + 1));
        const std::size_t got = read_at(fd_, path, head.data(), head.size(), 0);
        columns_ = layout_of_header(path, head.data(), got, got == size_, header_cap);
        const char* newline = static_cast<const char*>(std::memchr(head.data(), '\n', got));
        data_start_ = newline ? static_cast<std::uint64_t>(newline - head.data()) + 1 : size_;
    } catch (...) {
        ::close(fd_);
        throw;
    }
}

input_file::~input_file() { ::close(fd_); }

std::size_t input_file::block_count() const {
    const std::uint64_t data = size_ - data_start_;
    return static_cast<std::size_t>((data + plan_.block_size - 1) / plan_.block_size);
}

namespace {

/// The first newline in [from, to) of `base`, or `to`.
std::size_t newline_in(const char* base, std::size_t from, std::size_t to) {
    const void* found = from < to ? std::memchr(base + from, '\n', to - from) : nullptr;
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - base) : to;
}

/// The owned lines of a block read into `base` (file bytes from `from` to `from + got`): those starting in
/// [start, end) (offsets into base). `at_eof`: base reaches the end of the file.
block_text owned_lines(const char* base, std::size_t got, std::size_t start, std::size_t end, bool at_eof) {
    std::size_t first = start;
    if (start > 0 && base[start - 1] != '\n') first = newline_in(base, start, end) + 1;
    if (first >= end) return {};
    const std::size_t last_newline = newline_in(base, end - 1, got);
    if (last_newline < got) return {base + first, last_newline + 1 - first, false};
    if (at_eof) return {base + first, got - first, false};
    // The line holding byte end - 1 runs past the cap: the text stops where that line starts.
    std::size_t line_start = end - 1;
    while (line_start > first && base[line_start - 1] != '\n') --line_start;
    return {base + first, line_start - first, true};
}

} // namespace

block_stats input_file::block(std::size_t i) const {
    thread_local std::vector<char> buffer;
    const std::uint64_t nominal_start = data_start_ + static_cast<std::uint64_t>(i) * plan_.block_size;
    const std::uint64_t nominal_end = std::min<std::uint64_t>(size_, nominal_start + plan_.block_size);
    const std::uint64_t from = i == 0 ? nominal_start : nominal_start - 1;
    const std::uint64_t to = std::min<std::uint64_t>(size_, nominal_end + plan_.max_line + 1);
    buffer.resize(static_cast<std::size_t>(to - from));
    const std::size_t got = read_at(fd_, path_, buffer.data(), buffer.size(), from);
    const block_text text = owned_lines(buffer.data(), got, static_cast<std::size_t>(nominal_start - from),
                                        static_cast<std::size_t>(nominal_end - from), from + got >= size_);
    if (text.data == nullptr) return {};
    return parse_block(text, columns_, plan_.max_line);
}

} // namespace taxi
