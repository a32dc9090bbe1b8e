#include "capture.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <utility>

namespace parmap_run {

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t written = ::write(fd, data, size);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) return false;
        data += written;
        size -= static_cast<std::size_t>(written);
    }
    return true;
}

int open_spill_file(std::string& error) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/parmap-run-output.XXXXXX";
    const int fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) error = "cannot spill job output to a temporary file: " + std::string(std::strerror(errno));
    else ::unlink(path.c_str());
    return fd;
}

} // namespace

bool write_prefixed(int fd, const char* data, std::size_t size, line_prefix& prefix) {
    if (prefix.text.empty()) return write_all(fd, data, size);
    while (size > 0) {
        if (prefix.at_line_start && !write_all(fd, prefix.text.data(), prefix.text.size())) return false;
        const void* newline = std::memchr(data, '\n', size);
        const std::size_t part = newline != nullptr ? static_cast<std::size_t>(static_cast<const char*>(newline) - data) + 1 : size;
        if (!write_all(fd, data, part)) return false;
        prefix.at_line_start = newline != nullptr;
        data += part;
        size -= part;
    }
    return true;
}

captured_stream::~captured_stream() {
    if (spill_fd_ >= 0) ::close(spill_fd_);
}

captured_stream::captured_stream(captured_stream&& other) noexcept
    : memory_(std::move(other.memory_)), spill_fd_(std::exchange(other.spill_fd_, -1)), size_(std::exchange(other.size_, 0)) {}

captured_stream& captured_stream::operator=(captured_stream&& other) noexcept {
    if (this != &other) {
        if (spill_fd_ >= 0) ::close(spill_fd_);
        memory_ = std::move(other.memory_);
        spill_fd_ = std::exchange(other.spill_fd_, -1);
        size_ = std::exchange(other.size_, 0);
    }
    return *this;
}

bool captured_stream::append(const char* data, std::size_t size, std::string& error) {
    size_ += size;
    if (spill_fd_ < 0 && memory_.size() + size <= memory_cap) {
        memory_.append(data, size);
        return true;
    }
    if (spill_fd_ < 0 && (spill_fd_ = open_spill_file(error)) < 0) return false;
    if (!write_all(spill_fd_, data, size)) {
        error = "cannot spill job output to a temporary file: " + std::string(std::strerror(errno));
        return false;
    }
    return true;
}

bool captured_stream::append_to(std::string& text) const {
    text += memory_;
    if (spill_fd_ < 0) return true;
    const std::size_t start = text.size();
    text.resize(start + (size_ - memory_.size()));
    std::size_t done = 0;
    while (done < size_ - memory_.size()) {
        const ssize_t got = ::pread(spill_fd_, &text[start + done], size_ - memory_.size() - done, static_cast<off_t>(done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        done += static_cast<std::size_t>(got);
    }
    return true;
}

bool captured_stream::write_to(int fd, line_prefix prefix) const {
    if (!write_prefixed(fd, memory_.data(), memory_.size(), prefix)) return false;
    if (spill_fd_ < 0) return true;
    char buffer[1 << 16];
    for (off_t offset = 0;;) {
        const ssize_t got = ::pread(spill_fd_, buffer, sizeof buffer, offset);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return false;
        if (got == 0) return true;
        if (!write_prefixed(fd, buffer, static_cast<std::size_t>(got), prefix)) return false;
        offset += got;
    }
}

} // namespace parmap_run
