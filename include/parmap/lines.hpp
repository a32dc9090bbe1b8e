// parmap: the lines of a std::istream as a single-pass range, read one at a time as it is walked: what
// parmap::imap reads when a file is too large to hold.
//
//   std::ifstream in("huge.txt");
//   for (auto&& n : parmap::imap(parmap::threads, parmap::lines(in), count_words)) total += n;
#pragma once

#include <cstddef>
#include <istream>
#include <iterator>
#include <stdexcept>
#include <string>

namespace parmap {

/// @brief The lines of a std::istream as a single-pass range of std::string, read one at a time as it is
/// walked (for parmap::imap). A trailing '\r' is dropped (CRLF files), and a last line without '\n' is
/// kept. A read error (badbit) throws std::runtime_error from the iterator. The stream must outlive it.
class lines_view {
public:
    /// @brief Reads one line per step; the end compares equal to a default-constructed iterator.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = std::string;
        using difference_type = std::ptrdiff_t;
        using reference = const std::string&;
        using pointer = const std::string*;

        iterator() = default;
        explicit iterator(std::istream& in) : in_(&in) { read(); }
        reference operator*() const noexcept { return line_; }
        pointer operator->() const noexcept { return &line_; }
        iterator& operator++() { read(); return *this; }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.in_ == b.in_; }
        friend bool operator!=(const iterator& a, const iterator& b) noexcept { return a.in_ != b.in_; }

    private:
        void read() {
            if (!std::getline(*in_, line_)) {
                if (in_->bad()) throw std::runtime_error("parmap::lines: the stream reported a read error");
                in_ = nullptr;  // the end
            } else if (!line_.empty() && line_.back() == '\r') {
                line_.pop_back();
            }
        }
        std::istream* in_ = nullptr;
        std::string line_;
    };

    explicit lines_view(std::istream& in) noexcept : in_(in) {}
    iterator begin() { return iterator(in_); }
    iterator end() const noexcept { return iterator(); }

private:
    std::istream& in_;
};

/// @brief The lines of `in`, e.g. `for (auto&& n : parmap::imap(parmap::threads, parmap::lines(file), count_words))`.
inline lines_view lines(std::istream& in) noexcept { return lines_view(in); }

} // namespace parmap
