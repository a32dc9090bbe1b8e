// parmap-taxi's --backend and --workers: run a callable with the policy they name. thrust is offered where
// parmap::thrust was built (Thrust's OpenMP system here, the GPU in a CUDA build).
#pragma once

#include "../backend_option.hpp"

#include <parmap/parmap.hpp>
#if defined(PARMAP_TAXI_THRUST)
#include <parmap/thrust.hpp>
#endif
#if defined(PARMAP_TAXI_MPI)
#include <parmap/mpi.hpp>
#endif

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

namespace taxi {

inline std::vector<std::string> backend_names() {
    std::vector<std::string> names = parmap_examples::compiled_backends();
#if defined(PARMAP_TAXI_THRUST)
    names.push_back("thrust");
#endif
    return names;
}

/// run(policy) with the backend called `name`, `workers` threads (0: the backend's default).
template <class Run>
auto with_policy(const std::string& name, std::size_t workers, Run&& run) {
    if (name == "threads") return run(parmap::threads.workers(workers));
#if defined(_OPENMP)
    if (name == "openmp") return run(parmap::openmp.workers(workers));
#endif
#if defined(PARMAP_TAXI_THRUST)
    if (name == "thrust") return run(parmap::thrust.workers(workers));
#endif
    if (name != "serial") throw std::logic_error("parmap-taxi: unknown backend " + name);
    return run(parmap::serial);
}

/// The same for work that only the CPU backends run (thrust falls back to threads: writing files).
template <class Run>
auto with_cpu_policy(const std::string& name, std::size_t workers, Run&& run) {
    if (name == "serial") return run(parmap::serial);
#if defined(_OPENMP)
    if (name == "openmp") return run(parmap::openmp.workers(workers));
#endif
    return run(parmap::threads.workers(workers));
}

/// run(parmap::mpi(local)) with the CPU policy as each rank's local one, where this build has MPI.
template <class Run>
auto with_mpi_policy(const std::string& name, std::size_t workers, Run&& run) {
#if defined(PARMAP_TAXI_MPI)
    return with_cpu_policy(name, workers, [&](const auto& local) { return run(parmap::mpi(local)); });
#else
    return with_cpu_policy(name, workers, run);
#endif
}

} // namespace taxi
