// parmap-taxi --plot: the tutorial's figure, drawn with PLplot (where this build found it).
#pragma once

#include "report.hpp"

#include <string>

namespace taxi {

/// True when this build can draw (PLplot found).
bool plot_supported();

/// Draws the tip ratio figure to `path` (.png or .pdf) and the distance figure beside it
/// (NAME-distance.EXT); returns "" on success, else what went wrong (one line).
std::string draw_plots(const summaries& all, const std::string& path);

} // namespace taxi
