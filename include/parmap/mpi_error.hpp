// parmap over MPI: what a call tells its caller. parmap::mpi_error when it failed on any rank (thrown on
// every rank), parmap::remote_error for each failed element under an error policy (errors.hpp), and
// parmap::mpi_timings, where its time went when the policy asked (.timings(t)). Plain C++: this header
// needs no MPI.
//
//   try { auto ys = parmap::parallel_map(parmap::mpi(parmap::threads), xs, f); }
//   catch (const parmap::mpi_error& e) { std::fprintf(stderr, "rank %d: %s\n", e.rank(), e.message().c_str()); }
#pragma once

#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

namespace parmap {

/// @brief Thrown on every rank when a parmap::mpi call failed on any rank (an exception from f or op, sizes
/// that disagree, memory): it names the lowest rank that failed and carries that rank's message.
class mpi_error : public std::runtime_error {
public:
    mpi_error(int rank, int ranks, const std::string& message, std::exception_ptr local = nullptr)
        : std::runtime_error("parmap::mpi: rank " + std::to_string(rank) + " of " + std::to_string(ranks) + " failed: " + message),
          rank_(rank), message_(std::make_shared<const std::string>(message)), local_(std::move(local)) {}

    /// @brief The lowest rank on which the call failed.
    int rank() const noexcept { return rank_; }
    /// @brief That rank's message (the what() of its exception).
    const std::string& message() const noexcept { return *message_; }
    /// @brief On the failing rank, the exception itself (rethrow it with std::rethrow_exception); null elsewhere.
    std::exception_ptr local_exception() const noexcept { return local_; }

private:
    int rank_;
    std::shared_ptr<const std::string> message_;  // shared: copying an exception must not throw
    std::exception_ptr local_;
};

/// @brief A failed element's exception under parmap::mpi with `.errors(on_error::collect)` or `as_values`:
/// exceptions cannot cross processes, so every rank gets this record of it instead, the same everywhere:
/// the rank that ran the element, the exception's type name (demangled where the C++ runtime can) and
/// what() of the original (cut to 4096 bytes; for a type not derived from std::exception, a note saying so).
/// @code catch (const parmap::remote_error& e) { std::cerr << e.type_name() << " on rank " << e.rank() << ": " << e.what(); } @endcode
class remote_error : public std::runtime_error {
public:
    remote_error(int rank, const std::string& type_name, const std::string& message, std::exception_ptr local = nullptr)
        : std::runtime_error(message), rank_(rank), type_name_(std::make_shared<const std::string>(type_name)),
          local_(std::move(local)) {}

    /// @brief The rank that ran the element.
    int rank() const noexcept { return rank_; }
    /// @brief The type of the exception it threw, e.g. "std::invalid_argument".
    const std::string& type_name() const noexcept { return *type_name_; }
    /// @brief On the rank that ran the element, the original exception (rethrow it to catch its own type); null elsewhere.
    std::exception_ptr local_exception() const noexcept { return local_; }

private:
    int rank_;
    std::shared_ptr<const std::string> type_name_;  // shared: copying an exception must not throw
    std::exception_ptr local_;
};

/// @brief Where the time of one parmap::mpi call went on this rank, in seconds of MPI_Wtime; filled by a
/// call whose policy was given `.timings(t)`. The phases add up to the call's time on this rank.
struct mpi_timings {
    double setup = 0;    ///< checks, the input's size from the root, buffers, agreeing that every rank is ready
    double scatter = 0;  ///< sending the input's blocks from the root (nothing for parmap::iota inputs)
    double compute = 0;  ///< this rank's own share: the local map, or the reductions of its blocks
    double wait = 0;     ///< agreeing that every rank succeeded: mostly waiting for slower ranks
    double gather = 0;   ///< collecting the results (a reduction: every block result, and combining them)
};

} // namespace parmap
