// The examples' file handling: inputs read through a read-only descriptor, outputs written to a temporary
// file in their destination directory and renamed into place only when complete (parmap-rotate,
// parmap-mandelbrot, parmap-pi --plot, parmap-taxi).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace parmap_examples {

/// @brief A failure to read or write a file, with a message meant for the user ("no such file").
class file_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief The content of a regular file (symbolic links followed), opened read-only: the whole file, or its
/// first `most` bytes (its signature, for planning). Throws file_error naming the reason: missing,
/// unreadable, a directory, not a regular file (a FIFO never blocks), empty, larger than 2 GiB.
std::vector<std::uint8_t> read_input(const std::string& path, std::size_t most = SIZE_MAX);

/// @brief The marker of temporary output names, ".NAME.parmap-tmp-XXXXXX" beside NAME, where the file system
/// offers no unnamed temporary files (O_TMPFILE); see write_atomically.
inline constexpr const char* temp_marker = ".parmap-tmp-";

/// @brief Writes `bytes` to `path` all or nothing: into a temporary file in the same directory (unnamed where
/// the file system supports O_TMPFILE, so that even SIGKILL leaves nothing), then given the name `path`. Only a regular file or a new name is ever replaced: a symbolic link is followed (its target is
/// written, the link stays), a character device or FIFO (/dev/null, a pipe) is written to in place, and a
/// directory, block device or socket is refused. Without `overwrite` an existing `path` of any kind is never
/// touched (for a new name the check and the rename are one atomic step). `sync` flushes the data to disk
/// before the rename (survives power loss, costs time). On any failure the temporary file is removed and
/// file_error says why.
void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes, bool overwrite, bool sync);

/// @brief An output written piece by piece and kept only when complete, for files too large to hold whole:
/// write() appends to a temporary file beside `path`, and commit() gives it the name `path`, with
/// write_atomically's rules and messages (what `path` may be, `overwrite`, `sync`; a character device or FIFO
/// is written in place as the bytes come). Destroyed without commit() (an error, an exception), it removes
/// the temporary file and leaves `path` as it was. Throws file_error.
class file_writer {
public:
    file_writer(const std::string& path, bool overwrite, bool sync = false);
    ~file_writer();
    file_writer(const file_writer&) = delete;
    file_writer& operator=(const file_writer&) = delete;

    void write(const void* data, std::size_t size);
    void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
    /// @brief Flushes (with `sync`, to disk) and names the file `path`; nothing may be written after it.
    void commit();

private:
    struct state;
    std::unique_ptr<state> state_;
};

/// @brief Writes to `path`, exactly as write_atomically does, the file that `draw(name)` makes at `name`: for
/// libraries that open their output by name themselves (PLplot). It is drawn into a private temporary file
/// (in TMPDIR, else /tmp), read back and removed, so `path`'s directory never holds a half-drawn file and a
/// link, device or FIFO at `path` is treated as write_atomically treats it. Throws file_error.
void write_drawn(const std::string& path, const std::function<void(const std::string&)>& draw, bool overwrite);

/// @brief Reads the process's umask once, before threads start, so new outputs get the usual permissions.
void remember_umask();

} // namespace parmap_examples
