// parmap-run stays free of MPI's libraries (they would double its memory): under an MPI launcher it executes
// parmap-run-mpi, built from the same sources with MPI, from its own folder; so users type one command.
#pragma once

#include <climits>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace parmap_run {

/// @brief True when an MPI launcher (mpirun, mpiexec, srun with PMI) started this process.
inline bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "MPI_LOCALNRANKS"}) {
        if (std::getenv(name) != nullptr) return true;
    }
    return false;
}

/// @brief Replaces this process by parmap-run-mpi from the same folder; returns only when that fails.
inline void exec_mpi_runner(char** argv) {
    char self[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (length <= 0) return;
    std::string path(self, static_cast<std::size_t>(length));
    path = path.substr(0, path.rfind('/') + 1) + "parmap-run-mpi";
    ::execv(path.c_str(), argv);
}

} // namespace parmap_run
