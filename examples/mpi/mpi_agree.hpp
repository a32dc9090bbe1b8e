// How parmap-mpi-pi and parmap-mpi-mean end on a failure without leaving a rank waiting. parmap::mpi's own
// calls already turn a failure on one rank into parmap::mpi_error on every rank; what the programs do
// between those calls (rank 0 drawing the values, buffers every rank allocates) is agreed on by
// agreed_step(). Anything else that leaves one rank alone ends the whole job with MPI_Abort.
#pragma once

#include <parmap/mpi.hpp>

#include <cstdio>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>

namespace parmap_mpi_examples {

/// @brief A failure every rank knows of: thrown on every rank by agreed_step().
class agreed_failure : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// @brief Every rank calls this at the same point: it runs step() (which may do nothing on some ranks) and
/// then learns from every other rank whether its step failed. When any did, every rank throws
/// agreed_failure with the lowest failing rank's message; so no rank goes on into a collective call that
/// the failed rank never reaches. A std::bad_alloc reads "out of memory" unless step() said more.
template <class Step>
void agreed_step(int rank, int ranks, Step&& step) {
    std::string failure;
    try {
        step();
    } catch (const std::bad_alloc&) {
        failure = "out of memory";
    } catch (const std::exception& e) {
        failure = e.what();
    }
    int mine = failure.empty() ? ranks : rank, lowest = ranks;
    MPI_Allreduce(&mine, &lowest, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (lowest == ranks) return;
    int length = static_cast<int>(failure.size());
    MPI_Bcast(&length, 1, MPI_INT, lowest, MPI_COMM_WORLD);
    failure.resize(static_cast<std::size_t>(length));
    MPI_Bcast(failure.data(), length, MPI_CHAR, lowest, MPI_COMM_WORLD);
    throw agreed_failure(ranks == 1 ? failure : "rank " + std::to_string(lowest) + " of " + std::to_string(ranks) + " failed: " + failure);
}

/// @brief An MPI example's main: starts MPI and returns body(session)'s exit status. A failure that every
/// rank knows of (parmap::mpi_error, agreed_failure) ends every rank with status 1, rank 0 printing it as
/// "program: message". Any other exception left this rank alone while the others may wait for it in a
/// collective call (where MPI_Finalize would wait with them): it is printed with the rank's number and the
/// whole job ends with MPI_Abort.
template <class Body>
int run_on_every_rank(const char* program, int& argc, char**& argv, Body&& body) {
    try {
        parmap::mpi_session mpi(argc, argv);
        const int rank = mpi.rank(), ranks = mpi.size();
        try {
            return body(mpi);
        } catch (const parmap::mpi_error& e) {
            if (rank == 0) std::fprintf(stderr, "%s: %s\n", program, e.what());
        } catch (const agreed_failure& e) {
            if (rank == 0) std::fprintf(stderr, "%s: %s\n", program, e.what());
        } catch (const std::exception& e) {
            const char* what = dynamic_cast<const std::bad_alloc*>(&e) != nullptr ? "out of memory" : e.what();
            if (ranks == 1) {
                std::fprintf(stderr, "%s: %s\n", program, what);
            } else {
                std::fprintf(stderr, "%s: rank %d of %d: %s; ending every rank\n", program, rank, ranks, what);
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
        }
        return 1;
    } catch (const std::exception& e) {  // MPI could not start
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return 1;
    }
}

} // namespace parmap_mpi_examples
