// parmap-run's command line (CLI11): the options, their checks, and --help.
#pragma once

#include "options.hpp"

#include <CLI/CLI.hpp>

#include <string>

namespace parmap_run {

/// @brief What main does after parsing.
struct command_line {
    run_options run;
    bool jobs_given = false;    ///< -j was on the command line (--sbatch: the array's %max)
    bool sbatch = false;        ///< print a Slurm job-array script
    std::string sbatch_options; ///< extra #SBATCH lines, as one string ("--mem 4G --time 1:00:00")
    bool array_task = false;    ///< run line $SLURM_ARRAY_TASK_ID (inside the script)
    std::string status_dir = ".";
};

/// @brief Declares every option on `app`, writing into `line`.
void add_options(CLI::App& app, command_line& line);

/// @brief "10", "10s", "500ms", "2m", "1.5h" in seconds; throws CLI::ValidationError.
double parse_duration(const std::string& text);
/// @brief "now,fail=3", "soon,fail=10%", "never"; throws CLI::ValidationError.
halt_rule parse_halt(const std::string& text);
/// @brief "0-99,250" (Slurm --array syntax); throws CLI::ValidationError.
line_ranges parse_line_ranges(const std::string& text);
/// @brief The ranges written back in the same syntax.
std::string format_line_ranges(const line_ranges& lines);

} // namespace parmap_run
