// What parmap-mpi-pi and parmap-mpi-mean share: the local policy each rank runs with, whole-number
// options written as 1e8, and command-line parsing on every rank with only rank 0 speaking.
#pragma once

#include "backend_by_name.hpp"
#include "cli_numbers.hpp"

#include <parmap/mpi.hpp>
#include <parmap/thread_pool.hpp>

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <variant>

namespace parmap_mpi_examples {

/// Calls fn(parmap::mpi(local)) where local is the policy named `backend` with `workers` threads and
/// `chunking` (serial ignores both).
template <class Fn>
void with_mpi_policy(const std::string& backend, std::size_t workers, parmap::chunks::chunking chunking, Fn&& fn) {
    std::visit([&](const auto& local) { fn(parmap::mpi(local)); }, parmap_examples::cpu_policy_named(backend, workers, chunking));
}

using parmap_examples::whole_number;  // --samples, --seed, --repeats

/// The options both MPI examples share: the seed and the policy each rank runs its share with.
struct rank_options {
    std::uint64_t seed = 42;
    std::string backend = "threads";
    std::size_t workers = 0;  ///< 0 until parsed: then the CPUs this process may use, unless --workers said

    /// "on 4 ranks, each on threads with 8 workers"
    std::string placement(int ranks) const {
        const std::size_t w = backend == "serial" ? 1 : workers;
        return "on " + std::to_string(ranks) + (ranks == 1 ? " rank" : " ranks") + ", each on " + backend + " with " +
               std::to_string(w) + (w == 1 ? " worker" : " workers");
    }
};

/// Adds --seed, --backend (whose help is `backend_help`) and --workers.
inline void add_rank_options(CLI::App& app, rank_options& options, const std::string& backend_help) {
    app.add_option("--seed", options.seed, "The seed: Philox's key (0 to 18446744073709551615)")
        ->transform(whole_number(0, ~std::uint64_t{0}, false))
        ->capture_default_str();
    parmap_examples::add_backend_option(app, options.backend, backend_help);
    app.add_option("--workers", options.workers, "Threads per rank, the caller included (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
}

/// Parses the command line on every rank (all see the same one); only rank 0 prints help or errors.
/// Returns -1 to go on, else the exit status: 0 after --help, 2 after a usage error (one line on stderr).
inline int parse(CLI::App& app, int argc, char** argv, int rank, const std::string& program) {
    parmap_examples::finish_options(app, program);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        std::ostringstream quiet;
        const int status = rank == 0 ? app.exit(e) : app.exit(e, quiet, quiet);
        return status == 0 ? 0 : 2;
    }
    return -1;
}

/// parse(), then the default worker count: the CPUs this process may use (as bound by mpirun or srun).
inline int parse(CLI::App& app, int argc, char** argv, int rank, const std::string& program, rank_options& options) {
    const int status = parse(app, argc, argv, rank, program);
    if (options.workers == 0) options.workers = parmap::thread_pool::default_size();
    return status;
}

} // namespace parmap_mpi_examples
