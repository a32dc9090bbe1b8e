// parmap-taxi --plot with PLplot's C++ API: the tutorial's figure (the tip / fare histogram as one step
// curve per service, log y) and the trip distance histogram (log-log), each written to a temporary name in
// the destination's directory and renamed into place when PLplot has finished it.
#include "plot.hpp"

#include <plplot/plstream.h>

#include "files.hpp"  // the examples' shared all-or-nothing writer (examples/common)

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

namespace taxi {
namespace {

/// One figure: the step curves of every service's counts over `edges`, axes log as `log_x`, log y.
struct figure {
    std::string x_label, y_label, title;
    bool log_x = false;
    const double* edges = nullptr;
    std::size_t bins = 0;
    std::vector<const std::uint64_t*> counts;  ///< per service, nullptr when absent
};

/// The step curve of one histogram, in plot coordinates (log10 where the axis is logarithmic). Empty bins
/// sit at 0.5 (below 1), so the curve stays connected on the log axis.
void step_curve(const figure& f, const std::uint64_t* counts, std::vector<PLFLT>& x, std::vector<PLFLT>& y) {
    for (std::size_t b = 0; b < f.bins; ++b) {
        const double height = std::log10(counts[b] > 0 ? static_cast<double>(counts[b]) : 0.5);
        for (const double edge : {f.edges[b], f.edges[b + 1]}) {
            x.push_back(f.log_x ? std::log10(edge) : edge);
            y.push_back(height);
        }
    }
}

double highest_count(const figure& f) {
    std::uint64_t most = 1;
    for (const std::uint64_t* c : f.counts) {
        if (c) most = std::max(most, *std::max_element(c, c + f.bins));
    }
    return static_cast<double>(most);
}

void add_legend(plstream& pls, const figure& f) {
    std::vector<PLINT> options, colours, styles;
    std::vector<PLFLT> widths;
    std::vector<const char*> names;
    for (std::size_t k = 0; k < f.counts.size(); ++k) {
        if (!f.counts[k]) continue;
        options.push_back(PL_LEGEND_LINE);
        colours.push_back(static_cast<PLINT>(2 + k));
        styles.push_back(1);
        widths.push_back(2.0);
        names.push_back(k == 0 ? "yellow cab (2017 schema)" : "Uber/Lyft (2022 HVFHS schema)");
    }
    PLFLT legend_width = 0, legend_height = 0;
    const PLINT n = static_cast<PLINT>(names.size());
    pls.legend(&legend_width, &legend_height, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX, f.log_x ? PL_POSITION_BOTTOM | PL_POSITION_INSIDE : PL_POSITION_TOP | PL_POSITION_RIGHT | PL_POSITION_INSIDE,
               0.02, 0.02, 0.1, 0, 1, 1, 0, 0, n, options.data(), 1.0, 1.0, 2.0, 0.0, colours.data(), names.data(), nullptr,
               nullptr, nullptr, nullptr, colours.data(), styles.data(), widths.data(), nullptr, nullptr, nullptr, nullptr);
}

/// `path` with `tail` before its extension: tips.png -> tips-distance.png.
std::string with_suffix(const std::string& path, const std::string& tail) {
    const std::size_t dot = path.rfind('.');
    return path.substr(0, dot) + tail + path.substr(dot);
}

void draw_into(const figure& f, const std::string& device, const std::string& file) {
    plstream pls;
    pls.sdev(device.c_str());
    pls.sfnam(file.c_str());
    pls.spage(0, 0, 1000, 650, 0, 0);
    pls.scolbg(255, 255, 255);
    pls.scol0(1, 0, 0, 0);
    pls.scol0(2, 230, 159, 0);   // yellow cab: amber
    pls.scol0(3, 0, 114, 178);   // ride-share: blue
    pls.init();
    const double x0 = f.log_x ? std::log10(f.edges[0]) : f.edges[0];
    const double x1 = f.log_x ? std::log10(f.edges[f.bins]) : f.edges[f.bins];
    pls.col0(1);
    pls.env(x0, x1, std::log10(0.5), std::log10(highest_count(f)) + 0.3, 0, f.log_x ? 30 : 20);
    pls.lab(f.x_label.c_str(), f.y_label.c_str(), f.title.c_str());
    for (std::size_t k = 0; k < f.counts.size(); ++k) {
        if (!f.counts[k]) continue;
        std::vector<PLFLT> x, y;
        step_curve(f, f.counts[k], x, y);
        pls.col0(static_cast<PLINT>(2 + k));
        pls.width(2.0);
        pls.line(static_cast<PLINT>(x.size()), x.data(), y.data());
    }
    pls.width(1.0);
    pls.col0(1);
    add_legend(pls, f);
}  // ~plstream finishes the page and closes the file

/// Draws `f` to `path` through the examples' shared writer (a private temporary file, then all or nothing;
/// a link is followed, a device or FIFO written in place); "" or what went wrong.
std::string draw(const figure& f, const std::string& path) {
    const bool pdf = path.size() > 4 && path.compare(path.size() - 4, 4, ".pdf") == 0;
    try {
        parmap_examples::remember_umask();
        parmap_examples::write_drawn(path, [&](const std::string& drawn) { draw_into(f, pdf ? "pdfcairo" : "pngcairo", drawn); }, true);
    } catch (const std::exception& e) {
        return path + ": cannot write: " + e.what();
    }
    return {};
}

figure figure_of(const summaries& all, bool distance) {
    figure f;
    f.x_label = distance ? "trip distance (miles)" : "tip / fare";
    f.y_label = "number of rides";
    f.title = distance ? "How far people ride" : "Do people tip yellow cabs or Uber/Lyft better?";
    f.log_x = distance;
    f.edges = distance ? distance_edges().data() : tip_edges().data();
    f.bins = distance ? distance_bins : tip_bins;
    for (const std::optional<service_summary>& s : all) {
        f.counts.push_back(!s ? nullptr : distance ? s->stats.distance_hist : s->stats.tip_hist);
    }
    return f;
}

} // namespace

bool plot_supported() { return true; }

std::string draw_plots(const summaries& all, const std::string& path) {
    const std::string problem = draw(figure_of(all, false), path);
    if (!problem.empty()) return problem;
    return draw(figure_of(all, true), with_suffix(path, "-distance"));
}

} // namespace taxi
