// Scanning one file; see scan.hpp.
#include "scan.hpp"

#include "backend.hpp"
#include "gzip_scan.hpp"

#include <chrono>

namespace taxi {
namespace {

bool ends_with(const std::string& text, const std::string& tail) {
    return text.size() >= tail.size() && text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// An uncompressed file: every block through parallel_map_reduce on the chosen backend.
void scan_plain(file_result& result, const scan_options& options) {
    const input_file file(result.path, options.plan);
    result.kind = file.columns().kind;
    result.bytes = file.size();
    auto blocks = [&](const auto& policy) {
        return combine_blocks(policy, file.block_count(), [&file](std::size_t i) { return file.block(i); });
    };
    result.stats = options.mpi ? with_mpi_policy(options.backend, options.workers, blocks)
                               : with_policy(options.backend, options.workers, blocks);
}

} // namespace

void check_long_line(file_result& result, std::size_t max_line) {
    if (result.stats.long_line == 0) return;
    result.error = result.path + ": line " + std::to_string(result.stats.long_line + result.first_data_line - 1) +
                   " is longer than " + std::to_string(max_line) + " bytes (the cap, --max-line)";
}

file_result scan_file(const std::string& path, const scan_options& options) {
    file_result result;
    result.path = path;
    const auto start = std::chrono::steady_clock::now();
    try {
        if (ends_with(path, ".gz") && options.rank != 0) return result;  // under MPI, rank 0 reads .gz files alone
        if (ends_with(path, ".gz")) scan_gzip(result, options);
        else scan_plain(result, options);
        check_long_line(result, options.plan.max_line);
    } catch (const input_error& e) {
        result.error = e.what();
    } catch (const std::exception& e) {  // a failure on another MPI rank (parmap::mpi_error), a read error there
        result.error = path + ": " + e.what();
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

} // namespace taxi
