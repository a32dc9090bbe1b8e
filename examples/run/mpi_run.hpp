// parmap-run under mpirun / srun: rank 0 reads the job file and hands lines out on request (to its own
// scheduler, on a second thread, and to the other ranks), writes the one joblog from every rank's attempt
// rows and prints every job's output in whole-job blocks. The other ranks run the same scheduler with a feed
// and a sink that talk to rank 0.
#pragma once

#include "mpi_launch.hpp"
#include "options.hpp"
#include "orphan_guard.hpp"

namespace parmap_run {

/// @brief Runs the job file across the ranks; returns this rank's exit status (rank 0's is the run's).
int run_with_mpi(run_options options, orphan_guard& guard, int& argc, char**& argv);

} // namespace parmap_run
