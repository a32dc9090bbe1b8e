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
/// of `seed`, blue inside the circle and orange outside. Writes to a temporary name in the same folder, then
/// renames it, so `path` is never half-written. Returns an empty string on success, else what went wrong.
std::string write_plot(const std::string& path, std::uint64_t seed, std::size_t points, int size = 600);

/// Renames the finished `temporary` onto `path`, or removes it: "" on success, else what went wrong. Shared
/// by the PLplot and the stb version of write_plot.
inline std::string move_into_place(const std::string& temporary, const std::string& path) {
    if (std::rename(temporary.c_str(), path.c_str()) == 0) return {};
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return "cannot write " + path + ": " + reason;
}

} // namespace parmap_pi
