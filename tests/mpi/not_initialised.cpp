// A parmap::mpi call before MPI_Init is a clear exception, not a crash: run as a plain process.
#include <parmap/mpi.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

int main() {
    const std::vector<double> xs{1, 2, 3};
    try {
        auto ys = parmap::parallel_map(parmap::mpi(parmap::serial), xs, [](double x) { return 2 * x; });
        std::printf("FAILED: no exception (%zu results)\n", ys.size());
        return 1;
    } catch (const std::logic_error& e) {
        std::printf("%s\n", e.what());
        return std::string(e.what()).find("MPI is not initialised") != std::string::npos ? 0 : 1;
    }
}
