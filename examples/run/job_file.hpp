// Reading the job file as it is consumed: one line at a time, so memory does not grow with its length.
#pragma once

#include "job.hpp"

#include <cstdio>
#include <optional>
#include <string>

namespace parmap_run {

/// @brief The runnable lines of a job file ("-" = stdin), in order. Blank and '#' lines are skipped but
/// keep their numbers; a trailing '\r' is stripped (one warning on stderr); the last line needs no newline.
/// Throws runner_error (path and reason) when the file cannot be opened or read.
class job_reader {
public:
    /// @brief `warn`: say once when the file has Windows line ends (off for a first, counting pass).
    explicit job_reader(const std::string& path, bool warn = true);
    ~job_reader();
    job_reader(const job_reader&) = delete;
    job_reader& operator=(const job_reader&) = delete;

    /// @brief The next runnable line, or nothing at the end of the file.
    std::optional<job_line> next();
    /// @brief How many physical lines were read so far.
    std::uint64_t lines_read() const { return next_number_; }

private:
    std::string path_;
    std::FILE* file_ = nullptr;
    char* buffer_ = nullptr;
    std::size_t capacity_ = 0;
    std::uint64_t next_number_ = 0;
    bool warned_cr_ = false;
};

/// @brief Sets `line.problem` when the line cannot run (a NUL byte).
void check_line(job_line& line);

/// @brief True for a line that is not a job: only blanks, or a '#' comment.
bool is_blank_or_comment(const std::string& text);

} // namespace parmap_run
