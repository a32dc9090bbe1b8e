// The MPI tests' main: MPI through parmap::mpi_session, Catch2 on every rank. Rank 0 reports as usual;
// the other ranks keep their report and print it, each line prefixed "[rank r]", only when they failed.
// Every rank exits with the same status: failure when any rank failed.
#define CATCH_CONFIG_RUNNER
#include <parmap/mpi.hpp>

#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>
#include <string>

int main(int argc, char** argv) {
    parmap::mpi_session mpi(argc, argv);
    const int rank = mpi.rank();
    std::ostringstream report;
    std::streambuf* console = rank != 0 ? std::cout.rdbuf(report.rdbuf()) : nullptr;
    int failed = Catch::Session().run(argc, argv);
    if (console != nullptr) std::cout.rdbuf(console);
    if (rank != 0 && failed != 0) {
        std::istringstream lines(report.str());
        for (std::string line; std::getline(lines, line);) std::cerr << "[rank " << rank << "] " << line << '\n';
    }
    int any_failed = 0;
    MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rank == 0 && failed == 0 && any_failed != 0) std::cerr << "mpi tests: another rank failed (its report is above)\n";
    return any_failed != 0 ? 1 : 0;
}
