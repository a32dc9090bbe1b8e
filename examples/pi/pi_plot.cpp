// parmap-pi --plot: draws the quarter circle and the first samples with stb_image_write (whose
// implementation is compiled once for all examples, in parmap_example_stb: see images.cmake), and writes
// them through the examples' shared all-or-nothing writer (parmap_example_files).
#include "pi_plot.hpp"

#include "pi_kernel.hpp"

#include <stb/stb_image_write.h>  // a SYSTEM include (parmap_example_stb's): its warnings are not ours

#include "files.hpp"  // the examples' shared all-or-nothing writer (examples/common)

#include <cmath>
#include <cstdint>
#include <exception>
#include <vector>

namespace parmap_pi {
namespace {

struct rgb {
    unsigned char r, g, b;
};

constexpr rgb white{255, 255, 255};
constexpr rgb frame{200, 200, 200};
constexpr rgb circle{40, 40, 40};
constexpr rgb hit{31, 119, 180};    // matplotlib's blue and orange, the tutorial's colours
constexpr rgb miss{255, 127, 14};

class canvas {
public:
    explicit canvas(int size) : size_(size), pixels_(static_cast<std::size_t>(size) * static_cast<std::size_t>(size) * 3) {
        for (int y = 0; y < size; ++y)
            for (int x = 0; x < size; ++x) set(x, y, white);
    }

    void set(int x, int y, rgb c) {
        if (x < 0 || y < 0 || x >= size_ || y >= size_) return;
        const std::size_t at = (static_cast<std::size_t>(y) * static_cast<std::size_t>(size_) + static_cast<std::size_t>(x)) * 3;
        pixels_[at] = c.r;
        pixels_[at + 1] = c.g;
        pixels_[at + 2] = c.b;
    }

    /// The pixel of the point (u, v) of the unit square, v pointing up.
    void dot(double u, double v, rgb c, int radius) {
        const int x = static_cast<int>(u * (size_ - 1)), y = static_cast<int>((1.0 - v) * (size_ - 1));
        for (int dy = -radius; dy <= radius; ++dy)
            for (int dx = -radius; dx <= radius; ++dx) set(x + dx, y + dy, c);
    }

    int size() const noexcept { return size_; }
    const unsigned char* data() const noexcept { return pixels_.data(); }

private:
    int size_;
    std::vector<unsigned char> pixels_;
};

} // namespace

std::string write_plot(const std::string& path, std::uint64_t seed, std::size_t points, int size) {
    canvas image(size);
    for (int i = 0; i < size; ++i) {
        image.set(i, 0, frame), image.set(i, size - 1, frame), image.set(0, i, frame), image.set(size - 1, i, frame);
    }
    for (std::size_t i = 0; i < points; ++i) {
        const auto [x, y] = sample_point(seed, i);
        const bool in = static_cast<double>(x) * x + static_cast<double>(y) * y < 1.0;  // exact in double
        image.dot(x, y, in ? hit : miss, 1);
    }
    const int steps = 8 * size;  // the arc x^2 + y^2 = 1, drawn last so that it stays visible
    for (int s = 0; s <= steps; ++s) {
        const double angle = 1.5707963267948966 * s / steps;
        image.dot(std::cos(angle), std::sin(angle), circle, 1);
    }

    std::vector<std::uint8_t> bytes;
    auto append = [](void* context, void* data, int count) {
        auto& out = *static_cast<std::vector<std::uint8_t>*>(context);
        const auto* first = static_cast<const std::uint8_t*>(data);
        out.insert(out.end(), first, first + count);
    };
    if (stbi_write_png_to_func(append, &bytes, size, size, 3, image.data(), size * 3) == 0)
        return "cannot write " + path + ": the image could not be encoded";
    try {
        parmap_examples::remember_umask();
        parmap_examples::write_atomically(path, bytes, /*overwrite=*/true, /*sync=*/false);
    } catch (const std::exception& e) {
        return "cannot write " + path + ": " + e.what();
    }
    return {};
}

} // namespace parmap_pi
