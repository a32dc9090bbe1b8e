// parmap-taxi: the tutorial's NYC taxi questions (do people tip yellow cabs or Uber/Lyft better? how far do
// they ride?) over CSV files of any size, compressed or not. Each file is cut into blocks at fixed byte
// offsets and the blocks are parsed and reduced in parallel with parmap::parallel_map_reduce; `generate`
// writes synthetic files in the real schemas. See cli.hpp for the command line.
#include "cli.hpp"
#include "generate.hpp"
#include "mpi_world.hpp"
#include "plot.hpp"
#include "report.hpp"
#include "scan.hpp"

#include <chrono>
#include <optional>
#include <cstdio>
#include <vector>

namespace {

int run_generate(const taxi::cli& c) {
    try {
        const auto start = std::chrono::steady_clock::now();
        const std::uint64_t bytes = taxi::generate(c.gen, c.scan.backend, c.scan.workers);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "parmap-taxi: wrote %s: %llu rows, %llu bytes in %.3f s (%.0f MB/s)\n", c.gen.output.c_str(),
                     static_cast<unsigned long long>(c.gen.rows), static_cast<unsigned long long>(bytes), s,
                     static_cast<double>(bytes) / 1e6 / s);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "parmap-taxi: %s\n", e.what());
        return 1;
    }
}

int run_scan(const taxi::cli& c) {
    const bool root = c.scan.rank == 0;
    const auto start = std::chrono::steady_clock::now();
    std::vector<taxi::file_result> results;
    std::uint64_t bytes = 0;
    bool failed = false;
    for (const std::string& path : c.files) {
        results.push_back(taxi::scan_file(path, c.scan));
        if (root && !results.back().error.empty()) std::fprintf(stderr, "parmap-taxi: %s\n", results.back().error.c_str());
        failed = failed || !results.back().error.empty();
        bytes += results.back().bytes;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!root) return failed ? 1 : 0;
    const taxi::summaries all = taxi::summarise(results);
    if (c.json) taxi::print_json(all, bytes, seconds);
    else taxi::print_table(all, seconds);
    if (!c.plot.empty()) {
        const std::string problem = taxi::draw_plots(all, c.plot);
        if (!problem.empty()) std::fprintf(stderr, "parmap-taxi: %s\n", problem.c_str());
        failed = failed || !problem.empty();
    }
    return failed ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
#if defined(PARMAP_TAXI_MPI)
    std::optional<parmap::mpi_session> mpi;
    if (taxi::mpi_launched()) mpi.emplace(argc, argv);
#endif
    taxi::cli c;
    if (const std::optional<int> status = taxi::parse_command_line(argc, argv, c)) return *status;
#if defined(PARMAP_TAXI_MPI)
    c.scan.mpi = mpi.has_value();
    c.scan.rank = mpi ? mpi->rank() : 0;
#endif
    return c.generating ? run_generate(c) : run_scan(c);
}
