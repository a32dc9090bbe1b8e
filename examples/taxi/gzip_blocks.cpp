// Inflating a .gz file into line-aligned blocks; see gzip_blocks.hpp.
#include "gzip_blocks.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace taxi {

gzip_blocks::gzip_blocks(const std::string& path, block_plan plan) : path_(path), plan_(plan) {
    std::uint64_t size = 0;
    const int fd = open_input(path, size);
    gz_ = gzdopen(fd, "rb");
    if (!gz_) {
        ::close(fd);
        throw input_error(path + ": cannot read as gzip");
    }
    gzbuffer(gz_, 1u << 18);
    read_header();
}

gzip_blocks::~gzip_blocks() { gzclose(gz_); }

bool gzip_blocks::fill() {
    if (end_) return false;
    const std::size_t chunk = std::size_t{1} << 18, old = pending_.size();
    pending_.resize(old + chunk);
    const int got = gzread(gz_, pending_.data() + old, static_cast<unsigned>(chunk));
    pending_.resize(old + static_cast<std::size_t>(std::max(got, 0)));
    int code = Z_OK;
    const char* message = gzerror(gz_, &code);
    if (got < 0 || (code != Z_OK && code != Z_STREAM_END)) {  // a truncated stream ends with Z_BUF_ERROR
        const char* reason = std::strstr(message, ": ");  // zlib's message starts with "<fd:N>: "
        throw input_error(path_ + ": corrupt or truncated gzip data (" + (reason ? reason + 2 : message) + ")");
    }
    end_ = got == 0;
    return !end_;
}

void gzip_blocks::read_header() {
    const std::size_t header_cap = std::max<std::size_t>(plan_.max_line, 65536);
    while (pending_.find('\n') == std::string::npos && pending_.size() <= header_cap && fill()) {
    }
    if (pending_.empty()) throw input_error(path_ + ": is empty (no header line)");
    const std::size_t shown = std::min(pending_.size(), header_cap + 1);
    columns_ = layout_of_header(path_, pending_.data(), shown, end_, header_cap);
    const std::size_t newline = pending_.find('\n');
    header_bytes_ = newline == std::string::npos ? pending_.size() : newline + 1;
    pending_.erase(0, header_bytes_);
}

text_block gzip_blocks::next_block(std::size_t index) {
    text_block block;
    block.index = index;
    const std::uint64_t end = (static_cast<std::uint64_t>(index) + 1) * plan_.block_size;
    if (offset_ >= end) return block;  // a long line spans this whole block: it owns no line start
    const std::size_t last = static_cast<std::size_t>(end - 1 - offset_);  // pending_[last] is the block's last byte
    std::size_t newline = std::string::npos;
    while ((newline = pending_.size() > last ? pending_.find('\n', last) : std::string::npos) == std::string::npos) {
        if (pending_.size() > last + plan_.max_line + 1 || !fill()) break;
    }
    std::size_t take = newline != std::string::npos ? newline + 1 : pending_.size();
    if (newline == std::string::npos && !end_) {  // the line holding byte `last` runs past the cap
        const std::size_t start = pending_.rfind('\n', last);
        take = start == std::string::npos ? 0 : start + 1;
        block.ends_in_long_line = true;
    }
    block.text.assign(pending_, 0, take);
    pending_.erase(0, take);
    offset_ += take;
    return block;
}

std::size_t gzip_blocks::run(block_queue& queue) {
    std::size_t index = 0;
    for (;; ++index) {
        while (pending_.empty() && fill()) {
        }
        if (pending_.empty() && end_) break;
        text_block block = next_block(index);
        const bool stop = block.ends_in_long_line;
        if (!queue.push(std::move(block)) || stop) return index + 1;
    }
    const std::uint64_t data = offset_;
    return static_cast<std::size_t>((data + plan_.block_size - 1) / plan_.block_size);
}

} // namespace taxi
