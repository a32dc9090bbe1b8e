// parmap-mandelbrot: renders the Mandelbrot set with parallel_map over the rows of the image. Rows near
// the set cost up to --iterations steps per pixel and rows far from it a few, so the work is uneven and
// compute-bound: the case where the chunking option matters. --compare times every chunking on every
// backend; --count K --out-dir DIR writes K different views, the sample photos of the Quick start. Images
// are written like parmap-rotate's outputs (common/files.hpp): to a temporary name, renamed when complete.
#include "backend_by_name.hpp"
#include "cli_numbers.hpp"
#include "exit_status.hpp"
#include "out_of_memory.hpp"
#include "files.hpp"
#include "stop_signals.hpp"

#include <parmap/parmap.hpp>

#include <CLI/CLI.hpp>

#include <stb/stb_image_write.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <variant>
#include <vector>

namespace {

struct view {
    double center_x, center_y, span_x;  // span_x: the width of the picture in the complex plane
    const char* name;
};

// Places worth looking at, so that --count K writes K images that look different.
constexpr view views[] = {
    {-0.6, 0.0, 3.2, "whole set"},
    {-0.7453, 0.1127, 0.0065, "seahorse valley"},
    {0.2549, 0.0005, 0.012, "elephant valley"},
    {-1.7686, 0.0017, 0.045, "the needle's mini-brot"},
    {-0.1011, 0.9563, 0.011, "north bulb spirals"},
    {-0.7436, 0.1318, 0.0008, "deep seahorse"},
    {-1.25066, 0.02012, 0.0017, "west tendrils"},
    {0.3750, -0.2159, 0.018, "south-east filaments"},
};
constexpr std::size_t view_count = sizeof(views) / sizeof(views[0]);
// --compare's default: the set's interior fills one side of this picture, so the rows' costs are lopsided.
constexpr std::size_t lopsided_view = 5;

struct settings {
    int width = 800;
    int height = 600;
    int iterations = 500;
};

// Smooth colouring: the escape count made continuous, mapped onto a cyclic palette; inside is black.
void shade(double mu, int iterations, std::uint8_t* rgb) {
    if (mu >= iterations) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    const double t = std::sqrt(mu / iterations);
    const double pi2 = 6.283185307179586;
    auto channel = [&](double phase) {
        return static_cast<std::uint8_t>(std::lround(127.5 * (1.0 - std::cos(pi2 * (3.0 * t + phase)))));
    };
    rgb[0] = channel(0.00);
    rgb[1] = channel(0.15);
    rgb[2] = channel(0.35);
}

// One row of RGB pixels: the unit of work that parallel_map hands out.
std::vector<std::uint8_t> render_row(const view& v, const settings& s, int row) {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(s.width) * 3);
    const double scale = v.span_x / s.width;
    const double ci = v.center_y + (s.height / 2.0 - row) * scale;
    for (int col = 0; col < s.width; ++col) {
        const double cr = v.center_x + (col - s.width / 2.0) * scale;
        double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
        int n = 0;
        while (n < s.iterations && zr2 + zi2 <= 256.0) {
            zi = 2.0 * zr * zi + ci;
            zr = zr2 - zi2 + cr;
            zr2 = zr * zr;
            zi2 = zi * zi;
            ++n;
        }
        double mu = s.iterations;
        if (n < s.iterations) mu = n + 1 - std::log2(0.5 * std::log2(zr2 + zi2));
        shade(std::max(0.0, mu), s.iterations, &out[static_cast<std::size_t>(col) * 3]);
    }
    return out;
}

template <class Policy>
std::vector<std::uint8_t> render(const Policy& policy, const view& v, const settings& s) {
    auto rows = parmap::parallel_map(policy, parmap::iota(s.height), [&](int row) { return render_row(v, s, row); });
    std::vector<std::uint8_t> pixels;
    pixels.reserve(static_cast<std::size_t>(s.width) * static_cast<std::size_t>(s.height) * 3);
    for (const auto& row : rows) pixels.insert(pixels.end(), row.begin(), row.end());
    return pixels;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                                                   [](char a, char b) { return std::tolower(a) == std::tolower(b); });
}

// PNG or JPEG, chosen by the file name's extension, encoded in memory and written all or nothing: under a
// temporary name in the same directory, renamed onto `path` when complete, removed on any error.
void write_image(const std::string& path, const settings& s, const std::vector<std::uint8_t>& rgb, int quality) {
    std::vector<std::uint8_t> bytes;
    auto append = [](void* context, void* data, int size) {
        auto& out = *static_cast<std::vector<std::uint8_t>*>(context);
        const auto* first = static_cast<const std::uint8_t*>(data);
        out.insert(out.end(), first, first + size);
    };
    const int row_bytes = s.width * 3;
    const bool encoded = ends_with(path, ".png") ? stbi_write_png_to_func(append, &bytes, s.width, s.height, 3, rgb.data(), row_bytes) != 0
                                                 : stbi_write_jpg_to_func(append, &bytes, s.width, s.height, 3, rgb.data(), quality) != 0;
    try {
        if (!encoded) throw std::runtime_error("the image could not be encoded");
        parmap_examples::write_atomically(path, bytes, /*overwrite=*/true, /*sync=*/false);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot write " + path + ": " + e.what());
    }
}

// Ctrl-C, SIGTERM and SIGHUP stop after the image being written, so none is left half-done; a second one
// (the handler resets itself) ends the program at once: still no half-written image under its name, though
// the hidden temporary file being written may stay. A signal ignored at start (nohup) stays ignored.
volatile std::sig_atomic_t signal_received = 0;

extern "C" void on_signal(int signal_number) { signal_received = signal_number; }

void stop_between_images() {
    // SA_RESETHAND is 0x80000000u on Linux
    parmap_examples::catch_stop_signals(on_signal, static_cast<int>(SA_RESTART | SA_RESETHAND));
}

parmap::chunks::chunking chunking_named(const std::string& name) {
    if (name == "static") return parmap::chunks::static_();
    if (name == "guided") return parmap::chunks::guided(1);
    return parmap::chunks::dynamic(1);
}

// Renders with the named backend.
std::vector<std::uint8_t> render_with(const std::string& backend, std::size_t workers, parmap::chunks::chunking chunking,
                                      const view& v, const settings& s) {
    return std::visit([&](const auto& policy) { return render(policy, v, s); },
                      parmap_examples::cpu_policy_named(backend, workers, chunking));
}

double seconds_to_render(const std::string& backend, std::size_t workers, parmap::chunks::chunking chunking, const view& v,
                         const settings& s) {
    double best = 1e300;
    for (int rep = 0; rep < 3; ++rep) {  // best of three: the least disturbed by other programs
        const auto start = std::chrono::steady_clock::now();
        auto pixels = render_with(backend, workers, chunking, v, s);
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        if (pixels.empty()) return 0;
    }
    return best;
}

void compare(const std::vector<std::string>& backends, std::size_t workers, const view& v, const settings& s) {
    std::printf("%dx%d, %d iterations, %s, %zu workers; best of 3 runs, in milliseconds\n", s.width, s.height, s.iterations,
                v.name, workers);
    std::printf("  %-8s %10s %10s %10s\n", "backend", "static", "dynamic", "guided");
    const double serial_ms = 1e3 * seconds_to_render("serial", 1, parmap::chunks::static_(), v, s);
    std::printf("  %-8s %10.1f %10s %10s   (one thread: chunking does not apply)\n", "serial", serial_ms, "-", "-");
    for (const std::string& backend : backends) {
        if (backend == "serial") continue;
        std::printf("  %-8s", backend.c_str());
        for (const char* chunk : {"static", "dynamic", "guided"})
            std::printf(" %10.1f", 1e3 * seconds_to_render(backend, workers, chunking_named(chunk), v, s));
        std::printf("\n");
    }
    std::printf("static gives each worker one fixed block of rows, so the worker whose block crosses the set works longest;\n"
                "dynamic and guided hand rows out as workers become free, which balances rows of uneven cost.\n");
}

/// The command line's choices.
struct options {
    settings s;
    std::string backend = "threads", chunk = "dynamic", output = "mandelbrot.png", out_dir, format = "jpg";
    std::size_t workers = 0;  ///< 0 until parsed: then the CPUs this process may use, unless --workers said
    std::size_t count = 0, view_index = 0;
    bool view_given = false;  ///< --view was given: --compare renders the lopsided view otherwise
    int quality = 90;
    bool do_compare = false;
};

/// --width, --height, --iterations, --backend, --workers, --chunk and --view: what is rendered, and how.
void add_render_options(CLI::App& app, options& o) {
    app.add_option("--width", o.s.width, "Image width in pixels (16 to 20000)")
        ->check(parmap_examples::whole_number(16, 20000, false));
    app.add_option("--height", o.s.height, "Image height in pixels (16 to 20000)")
        ->check(parmap_examples::whole_number(16, 20000, false));
    app.add_option("--iterations", o.s.iterations, "Most iterations per pixel: more shows finer detail and costs more (1 to 100000)")
        ->check(parmap_examples::whole_number(1, 100000, false));
    parmap_examples::add_backend_option(app, o.backend, "Backend that renders");
    app.add_option("--workers", o.workers, "Threads per parallel backend, the caller included (default: the CPUs this process may use)")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
    app.add_option("--chunk", o.chunk, "How rows are handed out: static (one block per worker), dynamic (one row at a time, on "
                                       "demand) or guided (shrinking blocks, on demand)")
        ->check(CLI::IsMember({"static", "dynamic", "guided"}));
    app.add_option("--view", o.view_index, "Which of the built-in views to render, 0 to " + std::to_string(view_count - 1) +
                                               " (default 0: the whole set; --compare: 5, whose costly rows are all in one half)")
        ->check(parmap_examples::whole_number(std::size_t{0}, view_count - 1, false));
}

/// -o, --quality, --compare, --count, --out-dir and --format: what is written.
void add_output_options(CLI::App& app, options& o) {
    app.add_option("-o,--output", o.output, "Image to write; .png writes PNG, anything else JPEG (default mandelbrot.png)");
    app.add_option("--quality", o.quality, "JPEG quality, 1 to 100 (default 90)")
        ->check(parmap_examples::whole_number(1, 100, false));
    app.add_flag("--compare", o.do_compare, "Print the render time of every chunking on every backend instead of writing an image");
    auto* count_option = app.add_option("--count", o.count, "Write this many different views (1 to 1000) into --out-dir, as "
                                                            "mandelbrot_000.jpg, ... : sample photos for parmap-rotate")
                             ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{1000}, false));
    app.add_option("--out-dir", o.out_dir, "Directory for --count's images (created if missing)")->needs(count_option);
    count_option->needs("--out-dir");
    app.add_option("--format", o.format, "Format of --count's images: jpg (default) or png")->check(CLI::IsMember({"jpg", "png"}));
}

/// Parses the command line into `o`. Returns the exit status where the program ends here: 0 after --help,
/// 2 after a usage error (one line on stderr).
std::optional<int> parse(int argc, char** argv, options& o) {
    CLI::App app{"parmap-mandelbrot: render the Mandelbrot set with parmap::parallel_map over the image's rows.\n"
                 "Rows through the set cost far more than rows outside it, so the work is uneven: a static split gives\n"
                 "one worker most of it, while dynamic and guided chunking balance it. --compare shows the difference.\n\n"
                 "Images are written whole: each goes to a temporary file in its directory and is renamed into place when\n"
                 "complete, so no half-written image carries its name and no temporary file stays after an error. An\n"
                 "existing image of that name is replaced. Ctrl-C stops after the image being written (a second Ctrl-C stops\n"
                 "at once). Exit status: 0 written, 1 an image could not be written (the reason on stderr), 2 usage\n"
                 "error, 130 stopped by a signal."};
    add_render_options(app, o);
    add_output_options(app, o);
    if (const std::optional<int> status = parmap_examples::parse_options(app, argc, argv, "parmap-mandelbrot")) return status;
    o.view_given = app.get_option("--view")->count() != 0;
    if (o.workers == 0) o.workers = parmap::thread_pool::default_size();
    return std::nullopt;
}

/// Renders --view into -o. Returns the exit status: 0, or 130 after a stop signal.
int write_one(const options& o, parmap::chunks::chunking chunking) {
    const auto start = std::chrono::steady_clock::now();
    auto pixels = render_with(o.backend, o.workers, chunking, views[o.view_index], o.s);
    const double ms = 1e3 * std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    write_image(o.output, o.s, pixels, o.quality);
    std::printf("%s: %dx%d, %s, rendered in %.1f ms (%s, %s chunks)\n", o.output.c_str(), o.s.width, o.s.height,
                views[o.view_index].name, ms, o.backend.c_str(), o.chunk.c_str());
    return signal_received != 0 ? 130 : 0;
}

/// Writes --count views, from --view on, into --out-dir. Returns the exit status: 0, 1 when the directory
/// cannot be made, 130 after a stop signal.
int write_views(const options& o, parmap::chunks::chunking chunking) {
    std::error_code ec;
    std::filesystem::create_directories(o.out_dir, ec);
    if (ec || !std::filesystem::is_directory(o.out_dir)) {
        std::fprintf(stderr, "parmap-mandelbrot: cannot create the output directory %s: %s\n", o.out_dir.c_str(),
                     ec ? ec.message().c_str() : "a file of that name exists");
        return 1;
    }
    std::size_t written = 0;
    for (; written < o.count && signal_received == 0; ++written) {
        // Beyond the built-in views, each further image zooms twice as far into one of them.
        view v = views[(o.view_index + written) % view_count];
        v.span_x /= std::pow(2.0, static_cast<double>((o.view_index + written) / view_count));
        char name[64];
        std::snprintf(name, sizeof name, "mandelbrot_%03zu.%s", written, o.format.c_str());
        const std::string path = (std::filesystem::path(o.out_dir) / name).string();
        write_image(path, o.s, render_with(o.backend, o.workers, chunking, v, o.s), o.quality);
    }
    std::printf("wrote %zu images of %dx%d into %s\n", written, o.s.width, o.s.height, o.out_dir.c_str());
    if (signal_received == 0) return 0;
    std::fprintf(stderr, "parmap-mandelbrot: stopped after %zu of %zu images (each written image is complete)\n", written, o.count);
    return 130;
}

/// --compare's table, or the images the options ask for. Returns the exit status.
int run(const options& o) {
    if (o.do_compare) {
        compare(parmap_examples::compiled_backends(), o.workers, views[o.view_given ? o.view_index : lopsided_view], o.s);
        return 0;
    }
    const auto chunking = chunking_named(o.chunk);
    parmap_examples::remember_umask();
    stop_between_images();
    return o.count == 0 ? write_one(o, chunking) : write_views(o, chunking);
}

/// The message when an image of these settings does not fit in memory.
std::string too_large(const settings& s) {
    // An image is held twice while its rows are joined (3 bytes a pixel each time), plus its encoding.
    const double pixels = static_cast<double>(s.width) * static_cast<double>(s.height);
    return parmap_examples::out_of_memory("a " + std::to_string(s.width) + "x" + std::to_string(s.height) + " image", pixels * 7,
                                          "it takes about 7 bytes a pixel: give a smaller --width or --height");
}

} // namespace

int main(int argc, char** argv) {
    options o;
    if (const std::optional<int> status = parse(argc, argv, o)) return *status;
    return parmap_examples::exit_status("parmap-mandelbrot", [&] { return run(o); }, [&] { return too_large(o.s); });
}
