// parmap-mpi-pi: parmap-pi's Monte Carlo estimate of pi spread over MPI ranks, each rank counting its
// share of the sample blocks with its local policy. The blocks, the samples in each and the integer sum
// are parmap-pi's (pi_kernel.hpp), so the hit count is the same as `parmap-pi` with the same --samples
// and --seed, whatever the number of ranks, backend or workers.
//   mpirun -np 4 parmap-mpi-pi --samples 1e9 --backend threads --workers 8
#include "mpi_agree.hpp"
#include "mpi_cli.hpp"
#include "pi_kernel.hpp"

#include <parmap/mpi.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

namespace {

/// Hits among samples [0, samples) of `seed`: parmap-pi's blocks of block_samples, over every rank.
template <class MpiPolicy>
std::uint64_t count_hits(const MpiPolicy& policy, std::uint64_t seed, std::uint64_t samples) {
    const std::uint64_t blocks = samples / parmap_pi::block_samples + (samples % parmap_pi::block_samples != 0);
    return parmap::parallel_map_reduce(
        policy, parmap::iota(blocks),
        [seed, samples](std::uint64_t block) {
            const std::uint64_t first = block * parmap_pi::block_samples;
            return parmap_pi::count_hits(seed, first, std::min(parmap_pi::block_samples, samples - first));
        },
        std::uint64_t{0}, std::plus<>{});
}

int run(parmap::mpi_session& mpi, int argc, char** argv) {
    const int rank = mpi.rank(), ranks = mpi.size();

    CLI::App app{
        "parmap-mpi-pi: estimate pi by Monte Carlo across MPI ranks (mpirun -np N parmap-mpi-pi ...; a single process\n"
        "works too). The samples are parmap-pi's: blocks of 65536 samples, cut between the ranks, each rank counting\n"
        "its blocks with the local backend. Prints the same hit count as `parmap-pi` with the same --samples and\n"
        "--seed, whatever the number of ranks."};
    std::uint64_t samples = 100'000'000;
    parmap_mpi_examples::rank_options options;
    app.add_option("--samples", samples, "How many points to draw in all (1 to 1e18; 1e8 and 100000000 both work)")
        ->transform(parmap_mpi_examples::whole_number(1, 1'000'000'000'000'000'000ull, true, "1e18"))
        ->capture_default_str();
    parmap_mpi_examples::add_rank_options(app, options, "The backend each rank counts its blocks with");
    const int status = parmap_mpi_examples::parse(app, argc, argv, rank, "parmap-mpi-pi", options);
    if (status >= 0) return status;

    std::uint64_t hits = 0;
    double seconds = 0;
    const std::uint64_t seed = options.seed;
    parmap_mpi_examples::with_mpi_policy(options.backend, options.workers, parmap::chunks::automatic(1), [&](const auto& policy) {
        count_hits(policy, seed, 4 * parmap_pi::block_samples * static_cast<std::uint64_t>(ranks));  // start every rank's threads
        MPI_Barrier(MPI_COMM_WORLD);
        const double start = MPI_Wtime();
        hits = count_hits(policy, seed, samples);
        seconds = MPI_Wtime() - start;
    });
    if (rank == 0) {
        const double estimate = parmap_pi::estimate(hits, samples), rate = static_cast<double>(samples) / seconds;
        std::printf("parmap-mpi-pi: %llu samples of seed %llu %s\n", static_cast<unsigned long long>(samples),
                    static_cast<unsigned long long>(seed), options.placement(ranks).c_str());
        std::printf("  estimate     %.12f\n", estimate);
        std::printf("  hits         %llu\n", static_cast<unsigned long long>(hits));
        std::printf("  error        %+.3e\n", estimate - 3.141592653589793);
        std::printf("  time         %.4f s\n", seconds);
        std::printf("  samples/s    %.3e (%.3e per rank)\n", rate, rate / ranks);
    }
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    return parmap_mpi_examples::run_on_every_rank("parmap-mpi-pi", argc, argv,
                                                  [&](parmap::mpi_session& mpi) { return run(mpi, argc, argv); });
}
