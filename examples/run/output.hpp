// Where job output goes: grouped (default: each job's stdout, then its stderr, whole, when it ends),
// line by line as it comes, or ungrouped; in line order with -k; prefixed with the line number with --tag;
// and into DIR/<line>.out and DIR/<line>.err with --results (written under a temporary name, then renamed).
#pragma once

#include "capture.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace parmap_run {

enum class output_mode { group, line, ungroup };

struct output_options {
    output_mode mode = output_mode::group;
    bool keep_order = false;
    bool tag = false;
    std::string results_dir;
};

/// @brief What one running job has printed so far: both streams, and in line mode each one's unfinished line.
struct job_output {
    captured_stream streams[2];  ///< 0: stdout, 1: stderr
    std::string partial[2];
    line_prefix prefixes[2];
};

class output_writer {
public:
    /// @brief Throws runner_error when the --results folder cannot be made.
    explicit output_writer(output_options options);

    /// @brief Whether jobs print through pipes to the runner (false: straight to the runner's stdout/stderr).
    bool captures() const { return options_.mode != output_mode::ungroup || !options_.results_dir.empty(); }
    /// @brief Sets up the output of a job about to start.
    void begin(job_output& output, std::uint64_t line) const;
    /// @brief Bytes read from the job's `stream`. False (and `error`) when they cannot be kept or written.
    bool on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error);
    /// @brief The job's last attempt ended: its output goes out now, or when every earlier job (-k) has.
    bool on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error);

private:
    bool finish(job_output& output, std::uint64_t line, std::string& error);
    bool save_results(const job_output& output, std::uint64_t line, std::string& error) const;

    output_options options_;
    std::map<std::uint64_t, std::pair<std::uint64_t, job_output>> waiting_;  ///< -k: sequence -> (line, output)
    std::uint64_t next_sequence_ = 0;
};

} // namespace parmap_run
