// parmap-run's settings, as parsed from the command line (cli.cpp).
#pragma once

#include "output.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace parmap_run {

/// @brief --halt: stop after failures (GNU parallel's meaning). `now` kills running jobs, `soon` lets them finish.
struct halt_rule {
    bool active = false;
    bool now = false;
    std::size_t count = 0;  ///< fail=N
    double percent = 0;     ///< fail=P% (of the jobs finished, once at least 3 have)
    /// @brief Whether `failed` lines out of `ended` reach the rule.
    bool reached(std::uint64_t failed, std::uint64_t ended) const {
        return active && ((count > 0 && failed >= count) ||
                          (percent > 0 && ended >= 3 && static_cast<double>(failed) * 100 >= percent * static_cast<double>(ended)));
    }
};

/// @brief Closed ranges of line numbers (Slurm --array syntax: 0-99,250); empty means every line.
struct line_ranges {
    std::vector<std::pair<unsigned long long, unsigned long long>> ranges;
    bool contains(unsigned long long line) const;
};

struct run_options {
    std::string job_file;
    std::size_t jobs = 1;
    std::string shell = "/bin/sh";
    line_ranges lines;
    std::string joblog;
    bool resume = false;
    bool resume_failed = false;
    unsigned retries = 0;
    double timeout = 0;  ///< seconds per attempt; 0: none
    double grace = 2;    ///< seconds between TERM and KILL
    halt_rule halt;
    output_options output;
    bool dry_run = false;
    std::string print_failed;
    bool progress = false;
    std::uint64_t expected_lines = 0;  ///< for the progress line's total before the file's end is reached; 0: unknown
    int rank = 0;
};

} // namespace parmap_run
