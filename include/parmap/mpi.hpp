// parmap over MPI: the same parallel_map across the ranks of an MPI job, each rank running its share
// with a local policy (serial, threads or OpenMP). SPMD: every rank makes the same call; the input lives
// on the root (other ranks may pass an empty range), the results come back to the root, or to every rank
// with .gather_to_all(); parallel_map_reduce returns the serial backend's bits on every rank.
//
//   #include <parmap/mpi.hpp>
//   int main(int argc, char** argv) {
//       parmap::mpi_session mpi(argc, argv);                 // MPI_Init_thread ... MPI_Finalize
//       std::vector<double> xs = mpi.rank() == 0 ? load() : std::vector<double>{};
//       auto ys = parmap::parallel_map(parmap::mpi(parmap::threads), xs, f);   // all of them on rank 0
//   }
//
// Needs MPI (link MPI::MPI_CXX in CMake). Elements and results must be trivially copyable: they travel
// as bytes. A failure on any rank throws parmap::mpi_error on every rank, naming the rank and its message;
// an error policy on the local policy, parmap::mpi(parmap::threads.errors(parmap::on_error::collect)),
// makes every rank throw the same parmap::errors instead (detail/mpi_errors.hpp).
#pragma once

#include <parmap/backend/mpi.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/policy.hpp>

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>

namespace parmap {

/// @brief A policy that spreads a call over the ranks of an MPI communicator, each rank running its share
/// with the local policy `Local` (e.g. parmap::threads.workers(8)). Made by parmap::mpi(local).
/// Every rank of the communicator makes the same call (MPI initialised; elements, results and T trivially
/// copyable, since they travel as bytes), and a failure on any rank (f throws, sizes disagree) throws
/// parmap::mpi_error on every rank.
/// - parallel_map(p, input, f): the root's `input` is the input (other ranks pass an empty range, or the same
///   range); each rank maps one contiguous block. Returns every result in input order on the root (on every
///   rank with .gather_to_all()), an empty vector elsewhere. parmap::iota inputs are not sent, only their bounds.
///   The iterator form is not offered: its output would live in one process only.
/// - parallel_map_reduce(p, input, f, init, op): the serial backend's bits on every rank, whatever the number
///   of ranks: each rank reduces whole blocks whose boundaries depend only on n, and every rank combines all
///   block results in the same fixed tree.
/// - parallel_for(p, n, f): every rank passes the same n and calls f(i) for its own contiguous share of [0, n),
///   so f's side effects happen on the rank that ran i.
/// - Error policies (errors.hpp) go on the local policy: `.errors(on_error::collect)` runs every element on every
///   rank, then every rank throws the same parmap::errors (sorted by index in the whole input, the same what());
///   each failure's `rank` is the rank that ran it and its `exception` a parmap::remote_error (rank, demangled type
///   name, message) on every rank, since exceptions cannot cross processes; the original is its local_exception()
///   on that rank. `.errors(on_error::as_values)`: parallel_map returns std::vector<parmap::result<R>> where it
///   returns results, failures holding a remote_error. `.retries(n, pred)` retries on the rank that ran the element.
///   `.max_errors(k)` is per rank (ranks do not stop each other): a rank stops after k failures of its own, the list
///   is cut to the k lowest indices recorded, and as_values throws parmap::errors once k are recorded in all.
///   Without max_errors a pure f fails at the same indices for any number of ranks. fail_fast: parmap::mpi_error.
/// @code auto ys = parmap::parallel_map(parmap::mpi(parmap::threads), xs, [](double x) { return x * x; }); @endcode
template <class Local>
class mpi_policy {
    static_assert(is_policy_v<Local> && !detail::moves_data_v<Local>,
                  "Note to the user: parmap::mpi(p) takes the policy each rank runs its share with: parmap::serial, "
                  "parmap::threads or parmap::openmp, with options, e.g. parmap::mpi(parmap::threads.workers(8)).");

public:
    using local_policy_type = Local;

    /// @brief Runs on MPI_COMM_WORLD, rooted at rank 0, results on the root only.
    explicit mpi_policy(Local local) : local_(std::move(local)) {}

    /// @brief The rank that holds the input and receives the results (default 0); the same on every rank.
    mpi_policy root(int rank) const {
        mpi_policy copy = *this;
        copy.root_ = rank;
        return copy;
    }
    /// @brief The communicator whose ranks share the call (default MPI_COMM_WORLD). It must outlive the call.
    mpi_policy comm(MPI_Comm communicator) const {
        mpi_policy copy = *this;
        copy.comm_ = communicator;
        return copy;
    }
    /// @brief Every rank receives the whole result of parallel_map (MPI_Allgatherv), not only the root.
    mpi_policy gather_to_all(bool on = true) const {
        mpi_policy copy = *this;
        copy.to_all_ = on;
        return copy;
    }

    /// @brief Each call with this policy records where its time went on this rank into `t` (which must outlive
    /// the calls): setup, scatter, compute, wait, gather. Costs a few MPI_Wtime calls per call.
    mpi_policy timings(mpi_timings& t) const {
        mpi_policy copy = *this;
        copy.timings_ = &t;
        return copy;
    }

    /// @brief The policy each rank runs its share with.
    const Local& local() const noexcept { return local_; }
    /// @brief The root rank.
    int root_rank() const noexcept { return root_; }
    /// @brief The communicator.
    MPI_Comm communicator() const noexcept { return comm_; }
    /// @brief True when parallel_map's results go to every rank.
    bool gathers_to_all() const noexcept { return to_all_; }
    /// @brief Where calls record their timings; null when none were asked for.
    mpi_timings* timings_sink() const noexcept { return timings_; }

private:
    Local local_;
    MPI_Comm comm_ = MPI_COMM_WORLD;
    int root_ = 0;
    bool to_all_ = false;
    mpi_timings* timings_ = nullptr;
};

/// @brief An MPI policy is a policy: the front-ends take it (its entry points are in backend/mpi.hpp).
template <class Local>
struct is_policy<mpi_policy<Local>> : std::true_type {};

/// @brief The MPI policy whose ranks each run their share with `local`.
/// @code auto p = parmap::mpi(parmap::threads.workers(8)).root(0).gather_to_all(); @endcode
template <class Local>
mpi_policy<Local> mpi(const Local& local) {
    return mpi_policy<Local>(local);
}

/// @brief Initialises MPI for a program that does not manage it itself, at MPI_THREAD_FUNNELED or better
/// (parmap calls MPI from the calling thread only; its local workers never do), and finalises it when
/// destroyed. If MPI is already initialised it only checks the thread level and leaves finalising to its owner.
/// Throws std::runtime_error when the MPI library cannot give the thread level asked for.
/// @code int main(int argc, char** argv) { parmap::mpi_session mpi(argc, argv); ... } @endcode
class mpi_session {
public:
    /// @brief MPI_Init_thread(&argc, &argv, required, ...) unless MPI is running already.
    mpi_session(int& argc, char**& argv, int required = MPI_THREAD_FUNNELED) { start(&argc, &argv, required); }
    /// @brief The same without the command line.
    explicit mpi_session(int required = MPI_THREAD_FUNNELED) { start(nullptr, nullptr, required); }
    mpi_session(const mpi_session&) = delete;
    mpi_session& operator=(const mpi_session&) = delete;
    ~mpi_session() {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (owns_ && !finalised) MPI_Finalize();
    }

    /// @brief The thread level MPI provides (MPI_THREAD_FUNNELED or better).
    int thread_level() const noexcept { return provided_; }
    /// @brief This process's rank in MPI_COMM_WORLD.
    int rank() const noexcept {
        int r = 0;
        MPI_Comm_rank(MPI_COMM_WORLD, &r);
        return r;
    }
    /// @brief The number of ranks in MPI_COMM_WORLD.
    int size() const noexcept {
        int n = 1;
        MPI_Comm_size(MPI_COMM_WORLD, &n);
        return n;
    }
    /// @brief True when this session initialised MPI (and so finalises it).
    bool owns_mpi() const noexcept { return owns_; }

private:
    void start(int* argc, char*** argv, int required) {
        int initialised = 0, finalised = 0;
        MPI_Initialized(&initialised);
        MPI_Finalized(&finalised);
        if (finalised) throw std::logic_error("parmap::mpi_session: MPI was already finalised and cannot be initialised again");
        if (initialised) {
            MPI_Query_thread(&provided_);
        } else {
            detail::mpi_call(MPI_Init_thread(argc, argv, required, &provided_), "MPI_Init_thread");
            owns_ = true;
        }
        if (provided_ < required) {
            if (owns_) MPI_Finalize();
            owns_ = false;
            throw std::runtime_error("parmap::mpi_session: the MPI library provides thread level " + std::to_string(provided_) +
                                     ", below the " + std::to_string(required) +
                                     " asked for (MPI_THREAD_FUNNELED at least: parmap's local workers run beside MPI)");
        }
    }

    int provided_ = MPI_THREAD_SINGLE;
    bool owns_ = false;
};

} // namespace parmap

#include <parmap/detail/mpi_configurations.hpp>  // parmap::mpi in parmap::verify's list of configurations
