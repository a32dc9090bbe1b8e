// A file written whole or not at all: bytes go to a temporary file beside the destination
// (".NAME.parmap-tmp-XXXXXX", the marker parmap-rotate uses), which is renamed onto the destination by
// commit(). If commit() is never reached (an error, an exception), the temporary file is removed. As for
// every example's output, only a regular file or a new name is ever replaced: a symbolic link is followed
// (its target is written, the link stays), a character device or FIFO (/dev/null, a pipe) is written to in
// place, and a directory, block device or socket is refused.
#pragma once

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace taxi {

/// A problem writing an output: the message names the file.
struct output_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class output_file {
public:
    explicit output_file(std::string path);
    ~output_file();
    output_file(const output_file&) = delete;
    output_file& operator=(const output_file&) = delete;

    void write(std::string_view bytes);
    /// Flushes, closes and renames the temporary file onto the destination.
    void commit();

private:
    void open_in_place();

    std::string path_, temporary_;
    std::FILE* file_ = nullptr;
};

} // namespace taxi
