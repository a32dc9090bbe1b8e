// parmap-pi --plot: the picture of the tutorial's first figure, written as a PNG (pi_plot.cpp).
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

namespace parmap_pi {

/// Writes `path` (a PNG of size x size pixels): the unit square, the quarter circle, and samples 0 .. points-1
/// of `seed`, blue inside the circle and orange outside. Written as every example writes its images
/// (parmap_examples::write_atomically): a temporary name in the same folder renamed onto `path`, so `path` is never
/// half-written; a symbolic link is followed, a device or FIFO written in place. Returns an empty string on
/// success, else what went wrong.
std::string write_plot(const std::string& path, std::uint64_t seed, std::size_t points, int size = 600);

} // namespace parmap_pi
