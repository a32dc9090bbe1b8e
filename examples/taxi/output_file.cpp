// Writing through a temporary name; see output_file.hpp.
#include "output_file.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace taxi {
namespace {

/// Where a symbolic link at `path` leads (followed link by link, relative targets from the link's folder),
/// or `path` itself: the file to write, so that the link stays a link.
std::string link_target(std::string path) {
    for (int hops = 0; hops < 40; ++hops) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return path;
        std::vector<char> target(4096);
        const ssize_t n = ::readlink(path.c_str(), target.data(), target.size() - 1);
        if (n < 0) throw output_error(path + ": cannot write: " + std::strerror(errno));
        std::string next(target.data(), static_cast<std::size_t>(n));
        const std::size_t slash = path.rfind('/');
        path = next.front() == '/' || slash == std::string::npos ? next : path.substr(0, slash + 1) + next;
    }
    throw output_error(path + ": cannot write: too many symbolic links");
}

} // namespace

output_file::output_file(std::string path) : path_(std::move(path)) {
    path_ = link_target(path_);
    struct stat st {};
    if (::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        open_in_place();
        return;
    }
    const std::size_t slash = path_.rfind('/');
    const std::string dir = slash == std::string::npos ? "" : path_.substr(0, slash + 1);
    const std::string name = slash == std::string::npos ? path_ : path_.substr(slash + 1);
    std::string pattern = dir + "." + name + ".parmap-tmp-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const int fd = ::mkstemp(buffer.data());
    if (fd < 0) throw output_error(path_ + ": cannot write: " + std::strerror(errno));
    temporary_ = buffer.data();
    const mode_t mask = ::umask(0);
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
    file_ = ::fdopen(fd, "wb");
    if (!file_) {
        ::close(fd);
        ::unlink(temporary_.c_str());
        throw output_error(path_ + ": cannot write: " + std::strerror(errno));
    }
}

/// A character device or FIFO is written to directly (nothing to rename); anything else that is not a
/// regular file is refused.
void output_file::open_in_place() {
    struct stat st {};
    ::stat(path_.c_str(), &st);
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        throw output_error(path_ + ": cannot write: not a regular file (a directory, block device or socket)");
    }
    file_ = std::fopen(path_.c_str(), "wb");
    if (!file_) throw output_error(path_ + ": cannot write: " + std::strerror(errno));
}

output_file::~output_file() {
    if (file_) std::fclose(file_);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
}

void output_file::write(std::string_view bytes) {
    if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
        throw output_error(path_ + ": cannot write: " + std::strerror(errno));
    }
}

void output_file::commit() {
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    if (!closed || (!temporary_.empty() && std::rename(temporary_.c_str(), path_.c_str()) != 0)) {
        throw output_error(path_ + ": cannot write: " + std::strerror(errno));
    }
    temporary_.clear();
}

} // namespace taxi
