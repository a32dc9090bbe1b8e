// parmap-pi --plot with PLplot's C++ API (where PLplot is found; pi_plot.cpp's stb version otherwise): the
// tutorial's first figure, the unit square with the quarter circle and the first samples, hits in blue and
// misses in orange, equal axes labelled x and y. PNG through PLplot's cairo driver.
#include "pi_plot.hpp"

#include "pi_kernel.hpp"

#include <plplot/plstream.h>  // a SYSTEM include: PLplot's warnings are not ours

#include "files.hpp"  // the examples' shared all-or-nothing writer (examples/common)

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <vector>

namespace parmap_pi {
namespace {

void draw(const std::string& file, std::uint64_t seed, std::size_t points, int size) {
    std::vector<PLFLT> hit_x, hit_y, miss_x, miss_y, arc_x, arc_y;
    for (std::size_t i = 0; i < points; ++i) {
        const auto [x, y] = sample_point(seed, i);
        const bool in = static_cast<double>(x) * x + static_cast<double>(y) * y < 1.0;  // exact in double
        (in ? hit_x : miss_x).push_back(x);
        (in ? hit_y : miss_y).push_back(y);
    }
    for (int s = 0; s <= 200; ++s) {
        arc_x.push_back(std::cos(1.5707963267948966 * s / 200));
        arc_y.push_back(std::sin(1.5707963267948966 * s / 200));
    }
    plstream pls;
    pls.sdev("pngcairo");
    pls.sfnam(file.c_str());
    pls.spage(0, 0, size, size, 0, 0);
    pls.scolbg(255, 255, 255);
    pls.scol0(1, 0, 0, 0);
    pls.scol0(2, 31, 119, 180);   // matplotlib's blue and orange, the tutorial's colours
    pls.scol0(3, 255, 127, 14);
    pls.init();
    pls.col0(1);
    pls.env(0, 1, 0, 1, 1, 0);  // equal scales: the quarter circle is round
    pls.lab("x", "y", "Samples in the unit square: pi ~ 4 x (blue / all)");
    pls.col0(2);
    pls.string(static_cast<PLINT>(hit_x.size()), hit_x.data(), hit_y.data(), "•");
    pls.col0(3);
    pls.string(static_cast<PLINT>(miss_x.size()), miss_x.data(), miss_y.data(), "•");
    pls.col0(1);
    pls.width(2.0);
    pls.line(static_cast<PLINT>(arc_x.size()), arc_x.data(), arc_y.data());
}  // ~plstream finishes the page and closes the file

} // namespace

std::string write_plot(const std::string& path, std::uint64_t seed, std::size_t points, int size) {
    try {
        parmap_examples::remember_umask();
        parmap_examples::write_drawn(path, [&](const std::string& drawn) { draw(drawn, seed, points, size); }, /*overwrite=*/true);
    } catch (const std::exception& e) {
        return "cannot write " + path + ": " + e.what();
    }
    return {};
}

} // namespace parmap_pi
