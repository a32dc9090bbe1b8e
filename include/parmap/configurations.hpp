// parmap: the configurations that parmap::verify runs and that the conformance suite tests, in one list:
// every CPU backend at worker counts {1, 2, 3, 8} and every chunking, plus the backends of the optional
// headers (<parmap/thrust.hpp>, <parmap/mpi.hpp>) when they are included. A configuration is spelled as
// the code that makes its policy, so any failure is reproduced by pasting that one policy.
//
//   parmap::configurations::for_each([](const auto& policy) { ... parmap::parallel_map(policy, xs, f) ... });
//   parmap::configurations::spelling(parmap::threads.workers(3).chunk(parmap::chunks::static_(7)))
//       == "parmap::threads.workers(3).chunk(parmap::chunks::static_(7))"
#pragma once

#include <parmap/backend/openmp.hpp>
#include <parmap/backend/serial.hpp>
#include <parmap/backend/threads.hpp>
#include <parmap/policy.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

namespace parmap {

namespace configurations {

/// @brief The worker counts every configuration list runs: one, two, an odd count, and more than most CI machines have.
inline constexpr std::array<std::size_t, 4> worker_counts{1, 2, 3, 8};

/// @brief The chunkings every configuration list runs. The sizes 5 and 7 divide none of the usual input sizes,
/// so last chunks are short; automatic() also takes the inline path for small inputs.
inline constexpr std::array<chunks::chunking, 7> chunkings{chunks::automatic(), chunks::automatic(5), chunks::static_(0),
                                                           chunks::static_(7),  chunks::dynamic(7),   chunks::guided(7),
                                                           chunks::dynamic(1)};

/// @brief `c` as the code that makes it, e.g. "parmap::chunks::static_(7)".
inline std::string spelling(const chunks::chunking& c) {
    const char* kinds[] = {"automatic", "static_", "dynamic", "guided"};
    std::string s = std::string("parmap::chunks::") + kinds[static_cast<int>(c.how)] + "(";
    if (!(c.how == chunks::kind::automatic && c.timed)) s += std::to_string(c.size);
    return s + ")";
}

namespace detail {
template <class Backend>
inline const char* backend_spelling = "parmap::serial";
template <>
inline const char* backend_spelling<threads_backend> = "parmap::threads";
template <>
inline const char* backend_spelling<openmp_backend> = "parmap::openmp";
template <>
inline const char* backend_spelling<thrust_backend> = "parmap::thrust";
} // namespace detail

/// @brief `p` as the code that makes it, e.g. "parmap::openmp.workers(2).chunk(parmap::chunks::dynamic(1))".
/// The options a configuration list sets are spelled (workers, chunking; thrust ignores chunking).
template <class Backend, class Progress>
std::string spelling(const policy<Backend, Progress>& p) {
    const policy_options& o = p.options();
    std::string s = detail::backend_spelling<Backend>;
    if (o.workers != 0) s += ".workers(" + std::to_string(o.workers) + ")";
    const chunks::chunking c = o.chunking, automatic = chunks::automatic();
    const bool default_chunking = c.how == automatic.how && c.size == automatic.size && c.timed == automatic.timed;
    if (!default_chunking && !std::is_same_v<Backend, thrust_backend>) s += ".chunk(" + spelling(c) + ")";
    return s;
}

/// @brief The configurations of a backend whose public header must be included to use it. That header
/// specialises this for its backend tag with `available = true` and `template <class Visit> static void
/// each(Visit&)`; `Dependent` only delays the lookup to the point where for_each is instantiated.
template <class Backend, class Dependent = void>
struct optional_backend {
    static constexpr bool available = false;
    static constexpr bool on_device = false;  ///< its elements run on a GPU (parmap::thrust under nvcc)
};

/// @brief The tag under which <parmap/mpi.hpp> adds its configurations (MPI policies are not parmap::policy).
struct mpi_backend {};

/// @brief What a configuration list says in place of a configuration it cannot run (a backend that is not
/// compiled in, no device): the backend's spelling and why.
struct skipped {
    std::string spelling;
    std::string reason;
};

/// @brief Calls `visit(policy)` for every configuration that can run here, serial first (the reference),
/// then threads and OpenMP at every worker count and chunking, then Thrust and MPI when their headers are
/// included; and `visit(parmap::configurations::skipped{...})` for each that cannot.
template <class Visit>
void for_each(Visit&& visit) {
    visit(parmap::serial);
    for (std::size_t w : worker_counts) {
        for (const chunks::chunking& c : chunkings) visit(parmap::threads.workers(w).chunk(c));
    }
#if defined(_OPENMP)
    for (std::size_t w : worker_counts) {
        for (const chunks::chunking& c : chunkings) visit(parmap::openmp.workers(w).chunk(c));
    }
#else
    visit(skipped{"parmap::openmp", "not compiled with OpenMP (-fopenmp, or link parmap::openmp)"});
#endif
    if constexpr (optional_backend<thrust_backend, Visit>::available) optional_backend<thrust_backend, Visit>::each(visit);
    if constexpr (optional_backend<mpi_backend, Visit>::available) optional_backend<mpi_backend, Visit>::each(visit);
}

} // namespace configurations
} // namespace parmap
