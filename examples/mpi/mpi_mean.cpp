// parmap-mpi-mean: the MPI tutorial's scatter-and-gather with parmap. Rank 0 generates N normal(mu, sigma)
// values from a counter-based generator (value i is a fixed function of the seed and i), parmap::mpi
// scatters them, every rank reduces its blocks with its local policy, and the block results are gathered
// and combined: the mean and standard deviation come out the same bits on every rank, for any number of
// ranks, as a single process computes them. Prints where the time went, phase by phase. Then the
// tutorial's reduce demo: an array per rank, summed and maxed element-wise on rank 0.
//   mpirun -np 4 parmap-mpi-mean --count 1e8 --backend threads --workers 4
#include "mpi_agree.hpp"
#include "mpi_cli.hpp"
#include "out_of_memory.hpp"

#include <parmap/mpi.hpp>
#include <parmap/random.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr double two_pi = 6.283185307179586;

/// Value i of `seed`: Box-Muller on Philox4x32-10 call i / 2, whose four words make two uniform doubles
/// (u1 from words 0-1, u2 from words 2-3); an even i takes the cosine, an odd i the sine.
double normal_value(std::uint64_t seed, std::uint64_t i, double mu, double sigma) {
    const parmap::philox4x32::counter_type w = parmap::philox4x32(seed)(i / 2);
    const double u1 = 1.0 - parmap::uniform01<double>(w.v[0], w.v[1]);  // (0, 1]: the logarithm is finite
    const double u2 = parmap::uniform01<double>(w.v[2], w.v[3]);
    const double radius = std::sqrt(-2.0 * std::log(u1));
    return mu + sigma * radius * (i % 2 == 0 ? std::cos(two_pi * u2) : std::sin(two_pi * u2));
}

/// The sums a mean and a standard deviation need; trivially copyable, so it travels between ranks.
struct moments {
    double sum;
    double sum_of_squares;
};
// Lambdas rather than functions: their calls inline into the reduction loop (a function pointer's may not).
constexpr auto moments_of = [](double x) { return moments{x, x * x}; };
constexpr auto add = [](const moments& a, const moments& b) { return moments{a.sum + b.sum, a.sum_of_squares + b.sum_of_squares}; };

bool same_bits(const moments& a, const moments& b) { return std::memcmp(&a, &b, sizeof a) == 0; }

/// The tutorial's reduce demo: rank r's array is values r*k .. r*k + k - 1 of seed + 1, reduced element-wise
/// on rank 0 with MPI_SUM and MPI_MAX. Data that starts out on every rank is plain MPI's job, not parmap's.
void reduce_demo(std::uint64_t seed, std::size_t k, int rank, int ranks) {
    std::vector<double> mine, sums, maxima;
    parmap_mpi_examples::agreed_step(rank, ranks, [&] { mine.resize(k), sums.resize(k), maxima.resize(k); });
    for (std::size_t j = 0; j < k; ++j) mine[j] = normal_value(seed + 1, static_cast<std::uint64_t>(rank) * k + j, 0.0, 1.0);
    MPI_Reduce(mine.data(), sums.data(), static_cast<int>(k), MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    MPI_Reduce(mine.data(), maxima.data(), static_cast<int>(k), MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank != 0) return;
    std::printf("\nthe tutorial's reduce: %d array%s of %zu normal(0, 1) values (one per rank), element-wise on rank 0\n", ranks,
                ranks == 1 ? "" : "s", k);
    std::printf("  %-5s %12s %12s %12s\n", "index", "rank 0", "sum", "max");
    for (std::size_t j = 0; j < k; ++j) std::printf("  %-5zu %12.6f %12.6f %12.6f\n", j, mine[j], sums[j], maxima[j]);
}

/// The command line's choices: these, and the seed and policy both MPI examples share.
struct options : parmap_mpi_examples::rank_options {
    std::uint64_t count = 100'000'000, array_size = 8;
    double mu = 10, sigma = 5;
};

/// Parses the command line into `o` on every rank, only rank 0 speaking. Returns -1 to go on, else the exit
/// status: 0 after --help, 2 after a usage error (one line on stderr).
int parse(int argc, char** argv, int rank, options& o) {
    CLI::App app{
        "parmap-mpi-mean: the MPI tutorial's scatter-and-gather. Rank 0 generates --count normal(--mu, --sigma) values\n"
        "(value i is Box-Muller on Philox4x32-10 call i/2 of --seed, so every run draws the same values), parmap::mpi\n"
        "scatters them, each rank reduces its share with the local backend, and the results are gathered: the mean\n"
        "and standard deviation are the same bits for any number of ranks. Prints the time of each phase, then the\n"
        "tutorial's reduce demo. Run with mpirun -np N, or as a single process."};
    app.add_option("--count", o.count, "How many values rank 0 generates (1 to 1e10; 8 bytes each, on rank 0)")
        ->transform(parmap_mpi_examples::whole_number(1, 10'000'000'000ull, true, "1e10"))
        ->capture_default_str();
    app.add_option("--mu", o.mu, "The normal distribution's mean (-1e100 to 1e100)")
        ->check(parmap_examples::finite_number(-1e100, 1e100))
        ->capture_default_str();
    app.add_option("--sigma", o.sigma, "Its standard deviation (0 to 1e100)")
        ->check(parmap_examples::finite_number(0, 1e100))
        ->capture_default_str();
    parmap_mpi_examples::add_rank_options(app, o, "The backend each rank uses for its share (and rank 0 to generate)");
    app.add_option("--array-size", o.array_size, "Values per rank in the reduce demo (1 to 1000)")
        ->transform(parmap_mpi_examples::whole_number(1, 1000, false))
        ->capture_default_str();
    return parmap_mpi_examples::parse(app, argc, argv, rank, "parmap-mpi-mean", o);
}

/// What the scatter-and-gather found, and where its time went.
struct outcome {
    moments result{0, 0};
    bool matches_serial = true;  ///< rank 0's result is parmap::serial's in one process, to the bit
    double generate_seconds = 0;  ///< rank 0 drawing the values
    parmap::mpi_timings phases;   ///< this rank's
};

/// On rank 0, the --count values drawn with `local`; on the others none (they pass an empty input). Every
/// rank hears whether rank 0 could before any goes on to the scatter.
template <class Local>
std::vector<double> generate(const Local& local, const options& o, int rank, int ranks, double& seconds) {
    std::vector<double> values;
    parmap_mpi_examples::agreed_step(rank, ranks, [&] {
        if (rank != 0) return;
        const double start = MPI_Wtime();
        try {
            values = parmap::parallel_map(local, parmap::iota(o.count),
                                          [&](std::uint64_t i) { return normal_value(o.seed, i, o.mu, o.sigma); });
        } catch (const std::bad_alloc&) {
            throw std::runtime_error(parmap_examples::out_of_memory(
                "--count " + std::to_string(o.count) + " on rank 0", static_cast<double>(o.count) * static_cast<double>(sizeof(double)),
                "rank 0 holds every value (8 bytes each): give a smaller --count"));
        }
        seconds = MPI_Wtime() - start;
    });
    return values;
}

/// Rank 0 draws the values, parmap::mpi scatters them, every rank reduces its blocks, and the results are
/// gathered and combined; rank 0 checks them against parmap::serial.
outcome scatter_and_reduce(const options& o, int rank, int ranks) {
    outcome out;
    parmap_mpi_examples::with_mpi_policy(o.backend, o.workers, parmap::chunks::automatic(), [&](const auto& policy) {
        const std::vector<double> values = generate(policy.local(), o, rank, ranks, out.generate_seconds);
        MPI_Barrier(MPI_COMM_WORLD);  // time the scatter, not rank 0's generating
        out.result = parmap::parallel_map_reduce(policy.timings(out.phases), values, moments_of, moments{0, 0}, add);
        parmap_mpi_examples::agreed_step(rank, ranks, [&] {
            if (rank != 0) return;
            const moments serial = parmap::parallel_map_reduce(parmap::serial, values, moments_of, moments{0, 0}, add);
            out.matches_serial = same_bits(out.result, serial);
        });
    });
    return out;
}

/// The mean, standard deviation and sum, and whether they are parmap::serial's bits.
void print_moments(const options& o, const outcome& out, int ranks) {
    const double n = static_cast<double>(o.count), mean = out.result.sum / n;
    const double variance = o.count > 1 ? (out.result.sum_of_squares - n * mean * mean) / (n - 1) : 0.0;
    std::printf("parmap-mpi-mean: %llu normal(%g, %g) values of seed %llu %s\n", static_cast<unsigned long long>(o.count), o.mu,
                o.sigma, static_cast<unsigned long long>(o.seed), o.placement(ranks).c_str());
    std::printf("  mean         %.17g\n", mean);
    std::printf("  sd           %.17g\n", std::sqrt(std::max(variance, 0.0)));
    std::printf("  sum          %.17g\n", out.result.sum);
    std::printf("  same bits as parmap::serial in one process: %s\n", out.matches_serial ? "yes" : "NO");
}

/// The table of phases: rank 0's time and the slowest rank's (setup, scatter, compute, wait, gather, total).
void print_phases(const options& o, double generate_seconds, const double (&mine)[6], const double (&slowest)[6], int ranks) {
    std::printf("\n  %-10s %12s %12s   %s\n", "phase", "rank 0 s", "slowest s", "");
    std::printf("  %-10s %12.4f %12s   %s\n", "generate", generate_seconds, "", "rank 0 draws the values (not part of the call)");
    const char* names[6] = {"setup", "scatter", "compute", "wait", "gather", "total"};
    const char* notes[6] = {"sizes from rank 0, buffers", "blocks of the values to the other ranks",
                            "each rank reduces its blocks", "agreeing every rank succeeded (slower ranks)",
                            "block results to every rank, combined", "the parallel_map_reduce call"};
    for (int p = 0; p < 6; ++p) std::printf("  %-10s %12.4f %12.4f   %s\n", names[p], mine[p], slowest[p], notes[p]);
    if (ranks > 1 && mine[1] > 0) {
        const double sent = static_cast<double>(o.count) * static_cast<double>(ranks - 1) / static_cast<double>(ranks) *
                            static_cast<double>(sizeof(double));
        std::printf("  scatter sent %.3g MB from rank 0 at %.3g GB/s\n", sent / 1e6, sent / mine[1] / 1e9);
    }
}

/// Every rank's phases to rank 0 (the slowest rank sets the pace), which prints the results and the phases.
void report(const options& o, const outcome& out, int rank, int ranks) {
    const parmap::mpi_timings& p = out.phases;
    const double mine[6] = {p.setup, p.scatter, p.compute, p.wait, p.gather, p.setup + p.scatter + p.compute + p.wait + p.gather};
    double slowest[6] = {};
    MPI_Reduce(mine, slowest, 6, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank != 0) return;
    print_moments(o, out, ranks);
    print_phases(o, out.generate_seconds, mine, slowest, ranks);
}

/// The program on one rank: parse, scatter and reduce, report, then the reduce demo. Returns the exit status.
int run(parmap::mpi_session& mpi, int argc, char** argv) {
    const int rank = mpi.rank(), ranks = mpi.size();
    options o;
    if (const int status = parse(argc, argv, rank, o); status >= 0) return status;
    const outcome out = scatter_and_reduce(o, rank, ranks);
    report(o, out, rank, ranks);
    reduce_demo(o.seed, static_cast<std::size_t>(o.array_size), rank, ranks);
    return out.matches_serial ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
    return parmap_mpi_examples::run_on_every_rank("parmap-mpi-mean", argc, argv,
                                                  [&](parmap::mpi_session& mpi) { return run(mpi, argc, argv); });
}
