// parmap-taxi's --backend and --workers: run a callable with the policy they name (examples/common/backend_by_name.hpp).
// thrust is offered where parmap::thrust was built (Thrust's OpenMP system here, the GPU in a CUDA build).
#pragma once

#include "backend_by_name.hpp"

#if defined(PARMAP_TAXI_MPI)
#include <parmap/mpi.hpp>
#endif

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace taxi {

inline std::vector<std::string> backend_names() { return parmap_examples::offered_backends(); }

/// run(policy) with the backend called `name`, `workers` threads (0: the backend's default).
template <class Run>
auto with_policy(const std::string& name, std::size_t workers, Run&& run) {
    return std::visit(run, parmap_examples::policy_named(name, workers));
}

/// The same for work that only the CPU backends run (thrust falls back to threads: writing files).
template <class Run>
auto with_cpu_policy(const std::string& name, std::size_t workers, Run&& run) {
    return std::visit(run, parmap_examples::cpu_policy_named(name == "thrust" ? "threads" : name, workers));
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
