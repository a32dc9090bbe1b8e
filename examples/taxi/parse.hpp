// Parsing a run of complete CSV lines into block_stats: the heart of parmap-taxi, run on every block.
#pragma once

#include "block_stats.hpp"
#include "schema.hpp"

#include <cstddef>

namespace taxi {

/// The text of one block: whole lines (the last may lack its newline only at the end of the file). When
/// `ends_in_long_line`, one more line follows that is longer than `max_line` bytes; it is counted as the
/// block's long line. Any line within the text longer than `max_line` is also one.
struct block_text {
    const char* data = nullptr;
    std::size_t size = 0;
    bool ends_in_long_line = false;
};

/// Counts, histograms and the tip ratio sum of the rows in `text`. Rules (issue 17): blank lines are not
/// rows; a row with the wrong number of fields or a needed field empty or not a finite number is skipped;
/// a row with fare <= 0 is read only; every other row is used.
block_stats parse_block(const block_text& text, const layout& columns, std::size_t max_line);

} // namespace taxi
