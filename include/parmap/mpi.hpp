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
// as bytes. A failure on any rank throws parmap::mpi_error on every rank, naming the rank and its message.
#pragma once

#include <parmap/backend/mpi.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/policy.hpp>

#include <cstddef>
#include <iterator>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap {

/// @brief A policy that spreads a call over the ranks of an MPI communicator, each rank running its share
/// with the local policy `Local` (e.g. parmap::threads.workers(8)). Made by parmap::mpi(local).
template <class Local>
class mpi_policy {
    static_assert(is_policy_v<Local>,
                  "Note to the user: parmap::mpi(p) takes the policy each rank runs its share with: parmap::serial, "
                  "parmap::threads or parmap::openmp, with options, e.g. parmap::mpi(parmap::threads.workers(8)).");
    static_assert(!detail::is_guarded_policy<Local>::value,
                  "Note to the user: parmap::mpi takes no error policy (.errors, .retries) on its local policy yet: a "
                  "failure on any rank throws parmap::mpi_error on every rank; catch inside f to go on past bad elements.");

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

/// @brief True for parmap::mpi_policy types.
template <class T>
struct is_mpi_policy : std::false_type {};
template <class Local>
struct is_mpi_policy<mpi_policy<Local>> : std::true_type {};
template <class T>
inline constexpr bool is_mpi_policy_v = is_mpi_policy<std::remove_cv_t<std::remove_reference_t<T>>>::value;

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

namespace detail {

template <class Local>
mpi_setup make_mpi_setup(const mpi_policy<Local>& policy) {
    return make_mpi_setup(policy.communicator(), policy.root_rank(), policy.gathers_to_all(), policy.timings_sink());
}

} // namespace detail

/// @brief parallel_map over MPI. Every rank of the policy's communicator calls it; the root's `input` is
/// the input (other ranks pass an empty range, or the same range); each rank maps one contiguous block with
/// the local policy. Returns every result in input order on the root (on every rank with .gather_to_all()),
/// an empty vector on the other ranks. parmap::iota inputs are not sent, only their bounds.
/// Preconditions: MPI is initialised; elements and results are trivially copyable (they travel as bytes).
/// Throws parmap::mpi_error on every rank when any rank fails (f throws, sizes disagree).
/// @code auto ys = parmap::parallel_map(parmap::mpi(parmap::threads), xs, [](double x) { return x * x; }); @endcode
template <class Local, class Range, class F>
auto parallel_map(const mpi_policy<Local>& policy, Range&& input, F&& f) {
    static_assert(!detail::adapted_v<Range>,
                  "Note to the user: parmap::mpi sends plain ranges: pass an Eigen matrix's coefficients as a std::vector "
                  "(fixed-size matrices are fine as elements) and rebuild the shape from the result on the root.");
    using It = detail::begin_t<Range>;
    using V = std::remove_cv_t<typename std::iterator_traits<It>::value_type>;
    using R = detail::result_t<It, F>;
    constexpr bool callable = detail::check_input<Range, F>() && detail::check_result<It, F>();
    static_assert(std::is_trivially_copyable_v<V>,
                  "Note to the user: parmap::mpi sends the input's elements between processes as bytes, so they must be "
                  "trivially copyable (numbers, plain structs, std::array of them; not std::string, not parmap::zip).");
    static_assert(!callable || std::is_trivially_copyable_v<R>,
                  "Note to the user: parmap::mpi sends f's results between processes as bytes, so f must return a "
                  "trivially copyable type (numbers, plain structs, std::array of them; not std::string or std::vector).");
    if constexpr (callable && std::is_trivially_copyable_v<V> && std::is_trivially_copyable_v<R>) {
        static_assert(std::is_invocable_v<F&, V&> || detail::is_iota_v<Range>,
                      "Note to the user: on ranks other than the root, parmap::mpi calls f with an lvalue copy of the element "
                      "(V&): f must accept one.");
        return detail::mpi_run_map<R>(detail::make_mpi_setup(policy), policy.local(), input, f);
    } else {
        return std::vector<int>();  // only the messages above
    }
}

/// @brief The iterator form is not offered over MPI: its output would live in one process only.
template <class Local, class InputIt, class OutputIt, class F>
OutputIt parallel_map(const mpi_policy<Local>&, InputIt, InputIt, OutputIt out, F&&) {
    static_assert(detail::dependent_false<F>,
                  "Note to the user: parmap::mpi offers the range form only: parallel_map(parmap::mpi(p), input, f) returns "
                  "the results on the root (or on every rank with .gather_to_all()).");
    return out;
}

/// @brief parallel_map_reduce over MPI: op(init, f(x_0) op ... op f(x_{n-1})) on every rank, bitwise the
/// serial backend's result whatever the number of ranks: each rank reduces whole blocks whose boundaries
/// depend only on n, and every rank combines all block results in the same fixed tree. Input as for
/// parallel_map over MPI; T must be trivially copyable. Throws parmap::mpi_error on every rank when any fails.
/// @code double sum = parmap::parallel_map_reduce(parmap::mpi(parmap::threads), xs, square, 0.0, std::plus<>{}); @endcode
template <class Local, class Range, class F, class T, class Op>
T parallel_map_reduce(const mpi_policy<Local>& policy, Range&& input, F&& f, T init, Op op) {
    static_assert(!detail::adapted_v<Range>,
                  "Note to the user: parmap::mpi sends plain ranges: pass an Eigen matrix's coefficients as a std::vector "
                  "(fixed-size matrices are fine as elements) and rebuild the shape from the result on the root.");
    using It = detail::begin_t<Range>;
    using V = std::remove_cv_t<typename std::iterator_traits<It>::value_type>;
    constexpr bool callable = detail::check_input<Range, F>() && detail::check_reduction<It, F, T, Op>();
    static_assert(std::is_trivially_copyable_v<V>,
                  "Note to the user: parmap::mpi sends the input's elements between processes as bytes, so they must be "
                  "trivially copyable (numbers, plain structs, std::array of them; not std::string, not parmap::zip).");
    static_assert(std::is_trivially_copyable_v<T>,
                  "Note to the user: parmap::mpi sends the partial results of parallel_map_reduce between processes as "
                  "bytes, so init's type T must be trivially copyable.");
    if constexpr (callable && std::is_trivially_copyable_v<V> && std::is_trivially_copyable_v<T>) {
        return detail::mpi_run_map_reduce(detail::make_mpi_setup(policy), policy.local(), input, f, std::move(init), op);
    } else {
        return init;  // only the messages above
    }
}

/// @brief parallel_for over MPI: every rank passes the same n and calls f(i) for its own contiguous share
/// of [0, n) with the local policy, so f's side effects happen on the rank that ran i. Throws
/// parmap::mpi_error on every rank when any fails (f throws, n differs from the root's).
/// @code parmap::parallel_for(parmap::mpi(parmap::openmp), n, [&](std::size_t i) { simulate(i); }); @endcode
template <class Local, class F>
void parallel_for(const mpi_policy<Local>& policy, std::size_t n, F&& f) {
    static_assert(std::is_invocable_v<F&, std::size_t>, "Note to the user: parallel_for calls f(std::size_t i).");
    if constexpr (std::is_invocable_v<F&, std::size_t>) detail::mpi_run_for(detail::make_mpi_setup(policy), policy.local(), n, f);
}

} // namespace parmap
