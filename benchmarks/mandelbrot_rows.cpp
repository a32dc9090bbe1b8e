// mandelbrot_rows: the escape-time count of every pixel of a 1024-wide Mandelbrot view, one row per
// item. Rows through the set cost up to 100x more than rows outside it, so this is the workload where
// chunking matters: each backend runs it with static, dynamic and guided chunks, against the same three
// OpenMP schedules and TBB's default partitioner.
#include "common.hpp"

#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace parmap_bench {
namespace {

constexpr std::size_t width = 1024;
constexpr std::size_t height = 768;
constexpr int max_iterations = 500;

using counts = buffer<std::uint16_t>;

/// Fills row y of the view centred on (-0.75, 0) that shows the whole set.
void render_row(std::size_t y, std::uint16_t* row) {
    const double ci = (static_cast<double>(y) - height / 2.0) * (2.5 / height);
    for (std::size_t x = 0; x < width; ++x) {
        const double cr = -0.75 + (static_cast<double>(x) - width / 2.0) * (2.5 / height);
        double zr = 0.0, zi = 0.0;
        int k = 0;
        while (k < max_iterations && zr * zr + zi * zi <= 4.0) {
            const double t = zr * zr - zi * zi + cr;
            zi = 2.0 * zr * zi + ci;
            zr = t;
            ++k;
        }
        row[x] = static_cast<std::uint16_t>(k);
    }
}

void serial_loop(counts& image) {
    for (std::size_t y = 0; y < height; ++y) render_row(y, image.data() + y * width);
}

template <class Policy>
void parmap_rows(const Policy& policy, counts& image) {
    parmap::parallel_for(policy, height, [&image](std::size_t y) { render_row(y, image.data() + y * width); });
}

void omp_static(counts& image) {
#pragma omp parallel for schedule(static) num_threads(workers())
    for (std::ptrdiff_t y = 0; y < static_cast<std::ptrdiff_t>(height); ++y) render_row(static_cast<std::size_t>(y), image.data() + static_cast<std::size_t>(y) * width);
}

void omp_dynamic(counts& image) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(workers())
    for (std::ptrdiff_t y = 0; y < static_cast<std::ptrdiff_t>(height); ++y) render_row(static_cast<std::size_t>(y), image.data() + static_cast<std::size_t>(y) * width);
}

void omp_guided(counts& image) {
#pragma omp parallel for schedule(guided, 1) num_threads(workers())
    for (std::ptrdiff_t y = 0; y < static_cast<std::ptrdiff_t>(height); ++y) render_row(static_cast<std::size_t>(y), image.data() + static_cast<std::size_t>(y) * width);
}

void tbb(counts& image) {
    tbb_for(height, [&image](std::size_t y) { render_row(y, image.data() + y * width); });
}

struct implementation {
    std::string name;
    void (*run)(counts& image);
};

// parmap's chunkings as the OpenMP schedules they correspond to: static_() = schedule(static),
// dynamic(1) = schedule(dynamic, 1), guided(1) = schedule(guided, 1).
const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_threads_static", [](counts& c) { parmap_rows(parmap::threads.chunk(parmap::chunks::static_()), c); }},
    {"parmap_threads_dynamic", [](counts& c) { parmap_rows(parmap::threads.chunk(parmap::chunks::dynamic(1)), c); }},
    {"parmap_threads_guided", [](counts& c) { parmap_rows(parmap::threads.chunk(parmap::chunks::guided(1)), c); }},
    {"parmap_openmp_static", [](counts& c) { parmap_rows(parmap::openmp.chunk(parmap::chunks::static_()), c); }},
    {"parmap_openmp_dynamic", [](counts& c) { parmap_rows(parmap::openmp.chunk(parmap::chunks::dynamic(1)), c); }},
    {"parmap_openmp_guided", [](counts& c) { parmap_rows(parmap::openmp.chunk(parmap::chunks::guided(1)), c); }},
    {"omp_static", omp_static},
    {"omp_dynamic", omp_dynamic},
    {"omp_guided", omp_guided},
    {"tbb", tbb},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, const counts& expected) {
    counts image(width * height);
    impl.run(image);
    for (std::size_t i = 0; i < image.size(); ++i) {
        if (image[i] != expected[i]) wrong_result(name, i, image[i], expected[i]);
    }
    measure(state, [&] {
        impl.run(image);
        return image.data();
    });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(height));
}

} // namespace

void register_mandelbrot_rows() {
    static const counts expected = [] {
        counts image(width * height);
        serial_loop(image);
        return image;
    }();
    for (const implementation& impl : implementations) {
        add("mandelbrot_rows", impl.name, height, benchmark::kMillisecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, expected); });
    }
}

} // namespace parmap_bench
