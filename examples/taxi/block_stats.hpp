// What one block of a file gives, and how two adjacent blocks' results combine. The type is trivially
// copyable (it travels between MPI ranks as bytes) and the combination is associative, so
// parallel_map_reduce over a file's block indices gives the same bits for every backend, worker count and
// rank count. Line numbers are kept relative to the first block combined, so they stay right when blocks
// are combined in any tree: the right side's numbers move by the left side's line count.
#pragma once

#include "histogram.hpp"

#include <cstddef>
#include <cstdint>

namespace taxi {

inline constexpr std::size_t skipped_lines_kept = 5;  ///< the first few skipped lines are named

struct block_stats {
    std::uint64_t lines = 0;             ///< every line, blank ones included
    std::uint64_t rows_read = 0;         ///< non-blank lines
    std::uint64_t rows_used = 0;         ///< needed fields numeric and fare > 0
    std::uint64_t rows_skipped = 0;      ///< wrong field count, or a needed field missing or not a number
    std::uint64_t long_line = 0;         ///< the first line over the length cap (1-based, relative), 0: none
    std::uint64_t skipped_at[skipped_lines_kept] = {};  ///< 1-based relative line numbers
    double tip_ratio_sum = 0;            ///< sum of tip / fare over used rows, left to right
    std::uint64_t tip_hist[tip_bins] = {};
    std::uint64_t distance_hist[distance_bins] = {};
};

/// Rows whose fare is zero or negative: read, but neither used nor skipped.
inline std::uint64_t rows_fare_not_positive(const block_stats& s) { return s.rows_read - s.rows_used - s.rows_skipped; }

/// The results of two adjacent pieces, `left` first: counts add, line numbers of `right` move by left.lines.
struct combine {
    block_stats operator()(block_stats left, const block_stats& right) const {
        std::size_t kept = 0;
        while (kept < skipped_lines_kept && left.skipped_at[kept] != 0) ++kept;
        for (std::size_t i = 0; kept < skipped_lines_kept && i < skipped_lines_kept && right.skipped_at[i] != 0; ++i) {
            left.skipped_at[kept++] = right.skipped_at[i] + left.lines;
        }
        if (left.long_line == 0 && right.long_line != 0) left.long_line = right.long_line + left.lines;
        left.lines += right.lines;
        left.rows_read += right.rows_read;
        left.rows_used += right.rows_used;
        left.rows_skipped += right.rows_skipped;
        left.tip_ratio_sum += right.tip_ratio_sum;
        for (std::size_t b = 0; b < tip_bins; ++b) left.tip_hist[b] += right.tip_hist[b];
        for (std::size_t b = 0; b < distance_bins; ++b) left.distance_hist[b] += right.distance_hist[b];
        return left;
    }
};

} // namespace taxi
