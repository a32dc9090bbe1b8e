#include "job_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace parmap_run {

namespace {

std::string reason(const std::string& path, int error) { return path + ": " + std::strerror(error); }

// Opens the file, refusing directories up front (reading one fails only later, with a less clear message).
int open_job_file(const std::string& path) {
    if (path == "-") return STDIN_FILENO;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw runner_error(reason(path, errno));
    struct stat info {};
    if (::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode)) {
        ::close(fd);
        throw runner_error(reason(path, EISDIR));
    }
    return fd;
}

} // namespace

void check_line(job_line& line) {
    if (line.text.find('\0') != std::string::npos) {
        line.problem = "line " + std::to_string(line.number) + " contains a NUL byte: not run";
    }
}

bool is_blank_or_comment(const std::string& text) {
    const std::size_t first = text.find_first_not_of(" \t\r\f\v");
    return first == std::string::npos || text[first] == '#';
}

job_reader::job_reader(const std::string& path, bool warn) : path_(path == "-" ? "standard input" : path), warned_cr_(!warn) {
    const int fd = open_job_file(path);
    file_ = ::fdopen(fd, "r");
    if (file_ == nullptr) throw runner_error(reason(path_, errno));
}

job_reader::~job_reader() {
    std::free(buffer_);
    if (file_ != nullptr) std::fclose(file_);
}

std::optional<job_line> job_reader::next() {
    for (;;) {
        errno = 0;
        const ssize_t length = ::getline(&buffer_, &capacity_, file_);
        if (length < 0) {
            if (std::ferror(file_)) throw runner_error(reason(path_, errno != 0 ? errno : EIO));
            return std::nullopt;
        }
        job_line line;
        line.number = next_number_++;
        line.text.assign(buffer_, static_cast<std::size_t>(length));
        if (!line.text.empty() && line.text.back() == '\n') line.text.pop_back();
        if (!line.text.empty() && line.text.back() == '\r') {
            line.text.pop_back();
            if (!warned_cr_) std::fprintf(stderr, "parmap-run: %s has Windows line ends (\\r\\n): the \\r is removed\n", path_.c_str());
            warned_cr_ = true;
        }
        if (is_blank_or_comment(line.text)) continue;
        check_line(line);
        return line;
    }
}

} // namespace parmap_run
