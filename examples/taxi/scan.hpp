// Scanning one input file: its statistics, combined over its blocks with parmap::parallel_map_reduce on the
// chosen backend (uncompressed files), or through the gzip pipeline (gzip_scan.hpp) for .gz files.
#pragma once

#include "block_stats.hpp"
#include "input_file.hpp"
#include "schema.hpp"

#include "backend.hpp"  // parmap.hpp and, where built, parmap/thrust.hpp: every overload of parallel_map_reduce

#include <cstdint>
#include <string>

namespace taxi {

/// What the program was asked to scan with.
struct scan_options {
    std::string backend = "threads";
    std::size_t workers = 0;
    block_plan plan;
    bool mpi = false;  ///< started by mpirun: the ranks share each uncompressed file's blocks
    int rank = 0;      ///< this process's rank (0 without MPI); only rank 0 reads .gz files and prints
};

/// One file's outcome: its statistics, or the one-line error that stopped it.
struct file_result {
    std::string path;
    service kind = service::yellow;
    block_stats stats;
    std::uint64_t bytes = 0;   ///< bytes of CSV read (uncompressed)
    double seconds = 0;
    std::string error;         ///< empty when the file was read
    std::uint64_t first_data_line = 2;  ///< the line number of the first line after the header
};

/// Reads `path` whole (blocks in parallel); never throws for a bad file: the error is in the result.
file_result scan_file(const std::string& path, const scan_options& options);

/// The statistics of a file's blocks combined in parmap's fixed order; `block(i)` gives block i's.
template <class Policy, class Block>
block_stats combine_blocks(const Policy& policy, std::size_t blocks, const Block& block) {
    return parmap::parallel_map_reduce(policy, parmap::iota(blocks), block, block_stats{}, combine{});
}

/// Sets the error of a result whose statistics found a line over the cap.
void check_long_line(file_result& result, std::size_t max_line);

} // namespace taxi
