// parmap-run's vocabulary: a line of the job file, one attempt's outcome, and the runner's own failures.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace parmap_run {

/// @brief One runnable line of the job file: its physical number (0-based, as dSQ numbers array tasks) and text.
struct job_line {
    std::uint64_t number = 0;
    std::string text;     ///< without the newline and a trailing '\r'
    std::string problem;  ///< non-empty: the line cannot run (a NUL byte); it fails with status 127 and this message
};

/// @brief How one attempt ended, as the joblog records it.
struct attempt_result {
    double start = 0;  ///< seconds since the epoch
    double end = 0;
    unsigned attempt = 1;  ///< 1 for the first run
    int exit_code = 0;     ///< -1 when killed by a signal
    int signal = 0;        ///< the signal that killed the job, 0 if none
    bool timed_out = false;
    bool ok() const { return exit_code == 0 && signal == 0; }
    /// @brief The status a shell reports for it: the exit code, or 128 + the signal.
    int status() const { return signal != 0 ? 128 + signal : exit_code; }
};

/// @brief A failure of the runner itself (job file unreadable, joblog unwritable): exit status 255.
struct runner_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// @brief The command's hash in the joblog (64-bit FNV-1a): --resume reruns a line whose text changed.
inline std::uint64_t command_hash(const std::string& text) {
    std::uint64_t hash = 14695981039346656037ull;
    for (const char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return hash;
}

} // namespace parmap_run
