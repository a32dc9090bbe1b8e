// Printing parmap-taxi's answers; see report.hpp.
#include "report.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

namespace taxi {

summaries summarise(const std::vector<file_result>& results) {
    summaries all;
    for (const file_result& r : results) {
        if (!r.error.empty()) continue;
        std::optional<service_summary>& slot = all[static_cast<std::size_t>(r.kind)];
        if (!slot) slot.emplace();
        for (std::uint64_t at : r.stats.skipped_at) {
            if (at == 0 || slot->skipped_lines.size() >= skipped_lines_kept) break;
            slot->skipped_lines.push_back(at + r.first_data_line - 1);
            slot->skipped_files.push_back(r.path);
        }
        // Counts add; the sum of tip ratios adds file by file in command-line order (the same bits everywhere).
        block_stats moved = r.stats;
        for (std::uint64_t& at : moved.skipped_at) at = 0;
        slot->stats = combine{}(slot->stats, moved);
        ++slot->files;
        slot->bytes += r.bytes;
        slot->seconds += r.seconds;
    }
    return all;
}

double mean_tip_percent(const block_stats& s) {
    if (s.rows_used == 0) return std::numeric_limits<double>::quiet_NaN();
    return 100.0 * (s.tip_ratio_sum / static_cast<double>(s.rows_used));
}

namespace {

void print_service(service kind, const service_summary& s) {
    const double mb = static_cast<double>(s.bytes) / 1e6;
    std::printf("%s (%llu file%s, %.1f MB)\n", service_name(kind), static_cast<unsigned long long>(s.files),
                s.files == 1 ? "" : "s", mb);
    std::printf("  rows read              %14llu\n", static_cast<unsigned long long>(s.stats.rows_read));
    std::printf("  rows used              %14llu\n", static_cast<unsigned long long>(s.stats.rows_used));
    std::printf("  rows skipped           %14llu", static_cast<unsigned long long>(s.stats.rows_skipped));
    for (std::size_t i = 0; i < s.skipped_lines.size(); ++i) {
        std::printf("%s%s:%llu", i == 0 ? "  (" : ", ", s.skipped_files[i].c_str(),
                    static_cast<unsigned long long>(s.skipped_lines[i]));
    }
    std::printf("%s\n", s.skipped_lines.empty() ? "" : s.stats.rows_skipped > s.skipped_lines.size() ? ", ...)" : ")");
    std::printf("  rows with fare <= 0    %14llu\n", static_cast<unsigned long long>(rows_fare_not_positive(s.stats)));
    if (s.stats.rows_used == 0) std::printf("  mean tip percent       %14s\n", "-");
    else std::printf("  mean tip percent       %14.17g\n", mean_tip_percent(s.stats));
    std::printf("  time                   %14.3f s\n", s.seconds);
    std::printf("  throughput             %14.1f MB/s\n", s.seconds > 0 ? mb / s.seconds : 0.0);
}

} // namespace

void print_table(const summaries& all, double seconds) {
    bool any = false;
    for (std::size_t k = 0; k < service_count; ++k) {
        if (!all[k]) continue;
        print_service(static_cast<service>(k), *all[k]);
        any = true;
    }
    if (!any) std::printf("no file was read\n");
    std::printf("total time %.3f s\n", seconds);
}

} // namespace taxi
