// --joblog FILE: one tab-separated row per attempt, written and flushed as the attempt ends:
// Line Rank Host Start End Runtime Attempt ExitCode Signal TimedOut Hash Command.
// --resume and --resume-failed read it back to decide which lines to skip.
#pragma once

#include "job.hpp"

#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>

namespace parmap_run {

/// @brief One row of the joblog.
struct joblog_row {
    std::uint64_t line = 0;
    int rank = 0;
    attempt_result result;
    const std::string* command = nullptr;
    const std::string* host = nullptr;  ///< null: this machine
};

class joblog_writer {
public:
    joblog_writer() = default;
    /// @brief Opens FILE for appending (header written when it is empty). Throws runner_error.
    explicit joblog_writer(const std::string& path);
    ~joblog_writer();
    joblog_writer(const joblog_writer&) = delete;
    joblog_writer& operator=(const joblog_writer&) = delete;

    /// @brief Writes and flushes a row. False (and `error`) when it cannot be written (disk full...).
    bool write(const joblog_row& row, std::string& error);
    bool is_open() const { return file_ != nullptr; }

private:
    std::string path_;
    std::string host_;
    std::FILE* file_ = nullptr;
};

/// @brief What the joblog says about one line: the hash of its text when it last ran, and whether it succeeded.
struct logged_line {
    std::uint64_t hash = 0;
    bool succeeded = false;
};

/// @brief The lines of an existing joblog (none if the file does not exist). Throws runner_error when unreadable.
std::unordered_map<std::uint64_t, logged_line> read_joblog(const std::string& path);

/// @brief The host name, for the joblog and the status file.
std::string host_name();

} // namespace parmap_run
