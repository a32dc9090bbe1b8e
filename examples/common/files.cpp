// Safe reading and writing for the examples; see files.hpp.
#include "files.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace parmap_examples {
namespace {

mode_t new_file_mode = 0644;

std::string system_reason() { return std::strerror(errno); }

// Renames without replacing an existing file, atomically: renameat2(RENAME_NOREPLACE) where the file system
// supports it, else link() (which also refuses an existing name) and unlink.
bool rename_no_replace(const std::string& from, const std::string& to) {
#if defined(RENAME_NOREPLACE)
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
    if (errno != EINVAL && errno != ENOSYS) return false;
#endif
    if (::link(from.c_str(), to.c_str()) != 0) return false;
    ::unlink(from.c_str());
    return true;
}

[[noreturn]] void throw_not_placed(const std::string& shown_path) {
    if (errno == EEXIST) throw file_error("output exists (use --force to overwrite): " + shown_path);
    throw file_error("cannot rename into place: " + system_reason());
}

// An output's data until it is complete, in the destination directory. Where the file system supports it
// (ext4, XFS, Btrfs, tmpfs) an unnamed file (O_TMPFILE), linked under a name only when complete, so that not
// even SIGKILL leaves a temporary file behind; elsewhere a hidden ".NAME.parmap-tmp-XXXXXX", removed on any
// error but left by SIGKILL.
class temp_file {
public:
    explicit temp_file(const std::string& final_path) {
        const std::size_t slash = final_path.rfind('/');
        const std::string dir = slash == std::string::npos ? "" : final_path.substr(0, slash + 1);
        std::string name = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
        // ".NAME.parmap-tmp-XXXXXX" is 19 bytes longer than NAME: a NAME near the longest a directory entry
        // may be (NAME_MAX, 255 bytes) is cut short here, so that every legal output name can be written.
        const std::size_t extra = 1 + std::strlen(temp_marker) + 6;
        if (name.size() + extra > NAME_MAX) name.resize(NAME_MAX - extra);
        pattern_ = dir + "." + name + temp_marker + "XXXXXX";
        // Linking an unnamed file goes through its /proc/self/fd entry (AT_EMPTY_PATH needs a privilege).
        fd_ = ::open(dir.empty() ? "." : dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd_ >= 0 && ::access(self().c_str(), F_OK) == 0) return;
        if (fd_ >= 0) ::close(fd_);
        path_ = pattern_;
        fd_ = ::mkostemp(path_.data(), O_CLOEXEC);
        if (fd_ < 0) throw file_error("cannot create a temporary file in the output directory: " + system_reason());
    }
    ~temp_file() {
        if (fd_ >= 0) ::close(fd_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;

    int fd() const { return fd_; }

    /// Gives the complete file the name `target`: replacing a file there with `overwrite`, else only as a new
    /// name (atomically: an existing `target` fails with EEXIST). `shown_path` is the output as the user named it.
    void commit(const std::string& target, bool overwrite, const std::string& shown_path) {
        if (path_.empty() && !overwrite) {  // unnamed: linkat itself refuses an existing name
            if (::linkat(AT_FDCWD, self().c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) != 0) throw_not_placed(shown_path);
            if (close() != 0) {
                const std::string reason = system_reason();
                ::unlink(target.c_str());
                throw file_error("cannot finish writing: " + reason);
            }
            return;
        }
        if (path_.empty()) link_under_free_name();  // rename() needs a name to move
        if (close() != 0) throw file_error("cannot finish writing: " + system_reason());
        if (overwrite ? ::rename(path_.c_str(), target.c_str()) != 0 : !rename_no_replace(path_, target)) throw_not_placed(shown_path);
        path_.clear();  // renamed into place: nothing to remove
    }

private:
    std::string self() const { return "/proc/self/fd/" + std::to_string(fd_); }
    int close() { return ::close(std::exchange(fd_, -1)); }

    // The pattern with a random XXXXXX that no entry has yet (linkat refuses an existing name).
    void link_under_free_name() {
        thread_local std::minstd_rand random(std::random_device{}());
        static constexpr char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int attempt = 0; attempt < 100; ++attempt) {
            std::string name = pattern_;
            for (std::size_t k = name.size() - 6; k < name.size(); ++k) name[k] = letters[random() % (sizeof letters - 1)];
            if (::linkat(AT_FDCWD, self().c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
                path_ = name;
                return;
            }
            if (errno != EEXIST) break;
        }
        throw file_error("cannot create a temporary file in the output directory: " + system_reason());
    }

    std::string pattern_;
    std::string path_;  ///< the temporary file's name; empty while it has none (O_TMPFILE) and once renamed
    int fd_ = -1;
};

// What an output name is when the writing starts. A regular file or a new name is written under a
// temporary name and renamed onto `path`; a character device or a FIFO (/dev/null, a pipe to a viewer) is
// written to in place, since a rename would replace the device itself with a regular file. A symbolic link
// is followed: `path` is then the file it names, and the link stays.
struct output_target {
    enum kind_t { new_name, regular, stream } kind;
    std::string path;
};

std::string directory_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

output_target resolve_output(const std::string& path, bool overwrite) {
    std::string at = path;
    for (int links = 0;; ++links) {
        struct stat info {};
        // Not there (or not reachable: creating the temporary file beside it then says why): a new name.
        if (::lstat(at.c_str(), &info) != 0) return {output_target::new_name, at};
        if (!overwrite) throw file_error("output exists (use --force to overwrite): " + path);
        if (S_ISREG(info.st_mode)) return {output_target::regular, at};
        if (S_ISCHR(info.st_mode) || S_ISFIFO(info.st_mode)) return {output_target::stream, at};
        if (S_ISDIR(info.st_mode)) throw file_error("output is a directory: " + path);
        if (!S_ISLNK(info.st_mode))
            throw file_error(std::string("output is a ") + (S_ISBLK(info.st_mode) ? "block device" : "socket") +
                              ", which is never written or replaced (name a file, a character device or a FIFO): " + path);
        if (links == 40) throw file_error("output is a loop of symbolic links: " + path);
        std::string target(PATH_MAX, '\0');
        const ssize_t n = ::readlink(at.c_str(), target.data(), target.size());
        if (n < 0) throw file_error("cannot follow the symbolic link " + at + ": " + system_reason());
        target.resize(static_cast<std::size_t>(n));
        at = target.empty() || target[0] == '/' ? target : directory_of(at) + target;
    }
}

void write_all(int fd, const void* data, std::size_t size, const std::string& path) {
    const char* bytes = static_cast<const char*>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, bytes + done, size - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw file_error("cannot write " + path + ": " + system_reason());
        done += static_cast<std::size_t>(n);
    }
}

// A character device or FIFO, opened without O_CREAT or O_TRUNC: if the name became a regular file since
// resolve_output looked, nothing is written to it. Opening a FIFO waits for a reader, as the shell's `>` does.
int open_in_place(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) throw file_error("cannot open " + path + " for writing: " + system_reason());
    struct stat info {};
    const bool stat_failed = ::fstat(fd, &info) != 0;
    const std::string reason = system_reason();
    if (stat_failed || (!S_ISCHR(info.st_mode) && !S_ISFIFO(info.st_mode))) {
        ::close(fd);
        if (stat_failed) throw file_error("cannot write " + path + ": " + reason);
        throw file_error("output changed from a device or FIFO to a file while being opened; nothing written: " + path);
    }
    return fd;
}

} // namespace

void remember_umask() {
    const mode_t mask = ::umask(022);
    ::umask(mask);
    new_file_mode = static_cast<mode_t>(0666 & ~mask);
}

std::vector<std::uint8_t> read_input(const std::string& path, std::size_t most) {
    // O_NONBLOCK: opening a FIFO named x.jpg must not hang; it is refused below as not a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) throw file_error("no such file");
        throw file_error("cannot open: " + system_reason());
    }
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } guard{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) throw file_error("cannot read: " + system_reason());
    if (S_ISDIR(info.st_mode)) throw file_error("is a directory, not an image file");
    if (!S_ISREG(info.st_mode)) throw file_error("not a regular file");
    if (info.st_size == 0) throw file_error("empty file (0 bytes)");
    if (info.st_size > INT_MAX) throw file_error("file is larger than 2 GiB");
    std::vector<std::uint8_t> bytes(std::min(static_cast<std::size_t>(info.st_size), most));
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw file_error("cannot read: " + system_reason());
        if (n == 0) break;  // shrank while we read: decode what is there
        done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

// Where a file_writer's bytes go: a temporary file (a regular file or a new name), or the device or FIFO.
struct file_writer::state {
    std::string shown;   ///< the output as the user named it
    std::string target;  ///< where it goes, links followed
    bool overwrite, sync;
    std::optional<temp_file> temp;
    int in_place = -1;

    ~state() {
        if (in_place >= 0) ::close(in_place);
    }
    int fd() const { return temp ? temp->fd() : in_place; }
};

file_writer::file_writer(const std::string& path, bool overwrite, bool sync)
    : state_(new state{path, {}, overwrite, sync, std::nullopt, -1}) {
    const output_target target = resolve_output(path, overwrite);
    state_->target = target.path;
    if (target.kind == output_target::stream) {
        state_->in_place = open_in_place(target.path);
    } else {
        state_->temp.emplace(target.path);
    }
}

file_writer::~file_writer() = default;

void file_writer::write(const void* data, std::size_t size) {
    if (!state_) throw file_error("cannot write: the output is already complete");
    write_all(state_->fd(), data, size, state_->temp ? state_->shown : state_->target);
}

void file_writer::commit() {
    if (!state_) throw file_error("cannot write: the output is already complete");
    state& s = *state_;
    if (s.temp) {
        if (::fchmod(s.temp->fd(), new_file_mode) != 0) throw file_error("cannot set permissions: " + system_reason());
        if (s.sync && ::fsync(s.temp->fd()) != 0) throw file_error("cannot flush to disk: " + system_reason());
        s.temp->commit(s.target, s.overwrite, s.shown);
    } else if (::close(std::exchange(s.in_place, -1)) != 0) {
        throw file_error("cannot write " + s.target + ": " + system_reason());
    }
    state_.reset();
}

void write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes, bool overwrite, bool sync) {
    file_writer out(path, overwrite, sync);
    out.write(bytes.data(), bytes.size());
    out.commit();
}

} // namespace parmap_examples

namespace parmap_examples {

void write_drawn(const std::string& path, const std::function<void(const std::string&)>& draw, bool overwrite) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/parmap-draw-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    const int fd = ::mkstemp(name.data());
    if (fd < 0) throw file_error("cannot make a temporary file like " + pattern + ": " + std::strerror(errno));
    ::close(fd);
    struct remove_at_end {
        const char* file;
        ~remove_at_end() { ::unlink(file); }
    } drawn{name.data()};
    draw(name.data());
    write_atomically(path, read_input(name.data()), overwrite, false);
}

} // namespace parmap_examples
