// parmap::mpi's configurations in the list of <parmap/configurations.hpp> (run by parmap::verify): when MPI
// is running, the current communicator (MPI_COMM_WORLD) with serial and threads as the local policy,
// results gathered to every rank; else one "skipped" line. <parmap/mpi.hpp> includes this at its end.
#pragma once

#include <parmap/configurations.hpp>
#include <parmap/mpi.hpp>  // (which includes this file at its end: either order defines parmap::mpi first)

#include <string>

namespace parmap::configurations {

template <class Dependent>
struct optional_backend<mpi_backend, Dependent> {
    static constexpr bool available = true;

    template <class Visit>
    static void each(Visit& visit) {
        int initialised = 0, finalised = 0;
        MPI_Initialized(&initialised);
        MPI_Finalized(&finalised);
        if (!initialised || finalised) {
            visit(skipped{"parmap::mpi", "MPI is not running (start it with parmap::mpi_session)"});
            return;
        }
        visit(parmap::mpi(parmap::serial).gather_to_all());
        visit(parmap::mpi(parmap::threads).gather_to_all());
    }

    /// @brief `p` as code, e.g. "parmap::mpi(parmap::threads).gather_to_all()".
    template <class Local>
    static std::string spelling(const mpi_policy<Local>& p) {
        return "parmap::mpi(" + configurations::spelling(p.local()) + ")" + (p.gathers_to_all() ? ".gather_to_all()" : "");
    }
};

} // namespace parmap::configurations
