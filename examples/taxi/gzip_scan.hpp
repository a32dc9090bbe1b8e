// .csv.gz files: a gzip stream cannot be split, so one thread inflates it into line-aligned blocks (the
// same blocks, by uncompressed offset, as the uncompressed file's) and hands them through a bounded queue
// to the chosen backend, which parses them in parallel. The block results are then combined with
// parallel_map_reduce over their indices, the same tree as for the uncompressed file: the same bits.
#pragma once

#include "scan.hpp"

namespace taxi {

/// Fills `result` from the .gz file result.path; a bad file throws input_error.
void scan_gzip(file_result& result, const scan_options& options);

} // namespace taxi
