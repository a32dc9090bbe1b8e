// parmap's MPI tests: what every file shares. The same binary runs under mpiexec with 1, 2 and 4 ranks;
// every rank runs every test case in the same order, so the collectives inside parmap::mpi match up.
// Expected values come from plain loops written here (the reduction tests compare bits with parmap::serial).
// Assertions that follow a parmap::mpi call are CHECKs, never REQUIREs: a rank that left a test case early
// would leave the others waiting in the next collective (the ctest timeout would then fail the run).
#pragma once

#include <parmap/mpi.hpp>

#include <catch2/catch.hpp>

#include <cstddef>
#include <tuple>
#include <vector>

namespace mpi_test {

inline int rank() {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

inline int ranks() {
    int n = 1;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

// The local policies each rank runs its share with; index 0: serial, 1: threads, 2: openmp.
struct serial_local {
    static constexpr const char* name = "serial";
    static auto policy() { return parmap::serial; }
};
struct threads_local {
    static constexpr const char* name = "threads";
    static auto policy() { return parmap::threads.workers(2).chunk(parmap::chunks::dynamic(7)); }
};
struct openmp_local {
    static constexpr const char* name = "openmp";
    static auto policy() { return parmap::openmp.workers(2).chunk(parmap::chunks::automatic(5)); }
};
using locals = std::tuple<serial_local, threads_local, openmp_local>;

/// The rank that holds element i of n when n elements are cut into near-equal contiguous blocks in rank
/// order, the first n % ranks blocks one longer (worked out here independently of the library).
inline int owner_of(std::size_t i, std::size_t n, int size) {
    const std::size_t r = static_cast<std::size_t>(size), base = n / r, extra = n % r;
    const std::size_t long_part = extra * (base + 1);
    return static_cast<int>(i < long_part ? i / (base + 1) : extra + (i - long_part) / base);
}

/// Lowers the split-transfer threshold for one scope, so small inputs take the point-to-point path.
class small_messages {
public:
    explicit small_messages(std::size_t bytes) : saved_(parmap::detail::mpi_message_bytes) { parmap::detail::mpi_message_bytes = bytes; }
    ~small_messages() { parmap::detail::mpi_message_bytes = saved_; }
    small_messages(const small_messages&) = delete;
    small_messages& operator=(const small_messages&) = delete;

private:
    std::size_t saved_;
};

} // namespace mpi_test
