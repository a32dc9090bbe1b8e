// parmap-taxi's answers: the files' results gathered per service (in command-line order), printed as a
// table per service or as the JSON object issue 17 specifies.
#pragma once

#include "scan.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taxi {

/// One service's results over every file of that service that was read.
struct service_summary {
    block_stats stats;
    std::vector<std::uint64_t> skipped_lines;  ///< absolute line numbers, the first few over all files
    std::vector<std::string> skipped_files;    ///< the file of each
    std::uint64_t files = 0, bytes = 0;
    double seconds = 0;
};

using summaries = std::array<std::optional<service_summary>, service_count>;

/// The summaries of the files that were read (failed files are left out).
summaries summarise(const std::vector<file_result>& results);

/// 100 x mean(tip / fare) over used rows: NaN when no row was used.
double mean_tip_percent(const block_stats& s);

void print_table(const summaries& all, double seconds);
void print_json(const summaries& all, std::uint64_t bytes, double seconds);

} // namespace taxi
