// Slurm job arrays as dSQ makes them: --sbatch prints the array script, --array-task runs one line inside it
// and appends its row to job_<jobid>_status.tsv (dSQ's columns: Array_Task_ID, Exit_Code, Hostname, T_Start,
// T_End, T_Elapsed, Task), under a file lock because every task of the array appends to the same file.
#pragma once

#include "cli.hpp"

namespace parmap_run {

/// @brief Prints the script for `sbatch` on stdout; returns the exit status.
int print_sbatch_script(const command_line& line);

/// @brief Runs line $SLURM_ARRAY_TASK_ID of the job file; returns its exit status.
int run_array_task(const command_line& line);

} // namespace parmap_run
