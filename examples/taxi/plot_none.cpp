// parmap-taxi without PLplot: --plot is refused as a usage error.
#include "plot.hpp"

namespace taxi {

bool plot_supported() { return false; }

std::string draw_plots(const summaries&, const std::string& path) { return path + ": this build cannot draw (no PLplot)"; }

} // namespace taxi
