// parmap-taxi under mpirun: where this build has MPI and the process was started by an MPI launcher, the
// ranks share each uncompressed file's blocks through parmap::mpi(local policy) and rank 0 prints the
// answer, the same counts and mean bits as one process. Started without a launcher, MPI is not touched.
#pragma once

#include <cstdlib>

namespace taxi {

/// True when an MPI launcher (Open MPI's, MPICH's hydra, PMIx) started this process.
inline bool mpi_launched() {
    return std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMI_SIZE") || std::getenv("PMIX_RANK");
}

} // namespace taxi
