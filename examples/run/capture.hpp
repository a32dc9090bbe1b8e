// One stream of one job's output, kept until the job ends: in memory up to a cap, then in a temporary
// file (unlinked at once), so a job printing gigabytes costs disk, not memory, and no byte is dropped.
#pragma once

#include <cstddef>
#include <string>

namespace parmap_run {

/// @brief How a captured stream is written out: to a descriptor, with each line prefixed or not.
struct line_prefix {
    std::string text;          ///< empty: no prefix (e.g. "17\t" for --tag)
    bool at_line_start = true;  ///< carried between writes
};

/// @brief Writes all of `data`, inserting `prefix.text` at each line start. False on a write error.
bool write_prefixed(int fd, const char* data, std::size_t size, line_prefix& prefix);

class captured_stream {
public:
    static constexpr std::size_t memory_cap = 1 << 20;  ///< bytes kept in memory per stream before spilling

    captured_stream() = default;
    ~captured_stream();
    captured_stream(captured_stream&& other) noexcept;
    captured_stream& operator=(captured_stream&& other) noexcept;
    captured_stream(const captured_stream&) = delete;
    captured_stream& operator=(const captured_stream&) = delete;

    /// @brief Keeps `size` more bytes. False (and a message) when the spill file cannot be written.
    bool append(const char* data, std::size_t size, std::string& error);
    /// @brief Writes everything kept to `fd`, prefixed per line. False on a write error.
    bool write_to(int fd, line_prefix prefix) const;
    /// @brief Appends everything kept to `text` (to send it elsewhere whole). False on a read error.
    bool append_to(std::string& text) const;
    bool empty() const { return size_ == 0; }

private:
    std::string memory_;
    int spill_fd_ = -1;
    std::size_t size_ = 0;
};

} // namespace parmap_run
