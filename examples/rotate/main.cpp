// parmap-rotate: rotate a batch of photos and save them as PDF, JPEG or PNG, with parmap::parallel_for
// over the files. Each file is read, decoded, rotated, encoded and written inside one call of f, so memory
// holds one decoded image per worker (two during a quarter turn; 180 degrees turns in place); a JPEG written
// as JPEG or PDF is turned without decoding where that is exact (rotate/lossless.hpp). Outputs are
// written to a temporary name and renamed into place, existing files are never overwritten without --force,
// and one bad file never stops the others.
#include "backend_by_name.hpp"
#include "cli_numbers.hpp"
#include "stop_signals.hpp"
#include "batch.hpp"

#include <parmap/parmap.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <string>
#include <unistd.h>
#include <variant>
#include <vector>

namespace {

// Ctrl-C, SIGTERM and SIGHUP ask the batch to stop between files; files being written are finished. A signal
// ignored at start (nohup, a background job) stays ignored. The source lives as long as the process, as the
// handler may.
parmap::stop_source stop_on_signal;
volatile std::sig_atomic_t signal_received = 0;

extern "C" void on_signal(int signal_number) {
    signal_received = signal_number;
    stop_on_signal.request_stop();  // one lock-free atomic store
}

// The live line on stderr: done/total, images per second, time left. Called on the calling thread.
struct progress_line {
    std::chrono::steady_clock::time_point start;
    void operator()(std::size_t done, std::size_t total) const {
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
        const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
        std::fprintf(stderr, "\r%zu/%zu  %.1f images/s  %.0f s left\x1b[K", done, total, rate, left);
        std::fflush(stderr);
    }
};

template <class Policy>
void run_with(const Policy& policy, bool show_progress, rotate::batch& work) {
    auto each = [&](std::size_t i) { work.process(i); };
    if (show_progress) {
        parmap::parallel_for(policy.progress(progress_line{std::chrono::steady_clock::now()}, std::chrono::milliseconds(200)),
                             work.size(), each);
        std::fprintf(stderr, "\r\x1b[K");
    } else {
        parmap::parallel_for(policy, work.size(), each);
    }
}

/// --help's text before the options.
constexpr const char* about =
    "parmap-rotate: rotate photos and save them as PDF (default), JPEG or PNG, several files at once.\n"
    "INPUT is a file or a directory (its images: .jpg .jpeg .png .bmp .tga .gif; -r also searches its subdirectories).\n"
    "Each output goes next to its input as NAME_flipped.pdf (or .jpg/.png), or into -o DIR.\n\n"
    "Safety: inputs are only read. Each output is written to a temporary file in its directory and renamed into\n"
    "place when complete, so no half-written file ever carries an output's name, and no temporary file stays\n"
    "behind after an error or Ctrl-C. Existing files are not overwritten without --force. Two inputs that would\n"
    "write the same output are reported before any work. A bad file gets a one-line error; the others go on.\n"
    "Ctrl-C stops between files: finished files stay, files being written are completed, the rest are listed\n"
    "as not done.\n\n"
    "Orientation: EXIF orientation tags are NOT applied. The pixels are rotated exactly as stored, by --angle\n"
    "clockwise, and no metadata but an ICC colour profile is copied to the output, so every viewer shows the same\n"
    "result.\n\n"
    "JPEG and PDF hold 8-bit gray or RGB: alpha is composited onto white and 16-bit samples are rounded to 8.\n"
    "PNG keeps 8 or 16 bits and alpha. CMYK JPEG is refused with a message.\n\n"
    "JPEG to PDF: by default the PDF embeds the JPEG file as it is (its data read once to check it is whole) and\n"
    "draws it turned by the page's matrix: any size, nothing decoded or lost; a viewer shows the turned photo,\n"
    "while pdfimages extracts the original, unturned. --turn-pixels embeds the turned image instead, made as for\n"
    "jpg below.\n\n"
    "Lossless JPEG: by default a JPEG input written as jpg is turned without decoding (TurboJPEG's lossless\n"
    "transform, as jpegtran does): its compressed data is rearranged, so no quality is lost, the output has about\n"
    "the input's number of bytes, and it takes less than half the time of decoding and re-encoding. It is exact\n"
    "only when the edges that move hold whole blocks (MCUs: 8x8 pixels for gray and 4:4:4, 16x16 for 4:2:0): 180\n"
    "needs a width and height that are multiples of the MCU, 90 the height, 270 the width. Other sizes are decoded\n"
    "and re-encoded at --quality, never cropped. Giving --quality, or --reencode, re-encodes every file at that\n"
    "quality instead. --json says per file which way it went (\"lossless\": true or false).\n\n"
    "Output: errors go to stderr, one line per failed file. On a terminal a progress line (done/total, images/s,\n"
    "time left) is shown on stderr. At the end a summary on stdout: files written, failed, skipped (entries of\n"
    "directory INPUTs that are not images, hidden files, earlier NAME_flipped outputs; and a file named twice,\n"
    "such as a symbolic link and its target, done once under its first name, the other named on stderr), bytes\n"
    "in and out, wall time, images per second.\n\n"
    "Exit status: 0 every file written; 1 some files failed (each listed once with its reason), or the -o DIR\n"
    "could not be created; 2 usage error (unknown flag, bad or empty value, nothing to do); 130 stopped by Ctrl-C\n"
    "or a termination signal.";

/// The command line's choices: the batch's, and how its files are spread over threads.
struct command_line {
    rotate::options opts;
    std::vector<std::string> inputs;
    bool reencode = false;
    std::string backend = "threads";
    std::size_t workers = 0;  ///< 0 until parsed: then the CPUs this process may use, unless --workers said
};

/// INPUT, -r, -o, --angle and --format: which files, and what each becomes.
void add_file_options(CLI::App& app, command_line& c) {
    rotate::options& opts = c.opts;
    app.add_option("INPUT", c.inputs, "Image files and directories of images")->required();
    app.add_flag("-r,--recursive", opts.recursive, "Also process the images in subdirectories of directory INPUTs (symbolic links to directories are not followed)");
    app.add_option("-o,--output-dir", opts.output_dir,
                   "Write outputs into DIR (created if missing) instead of next to each input; with -r the subdirectories "
                   "are mirrored under DIR")
        ->type_name("DIR");
    app.add_option("--angle", opts.angle, "Clockwise rotation in degrees: 90, 180 or 270 (default 180)")
        ->check(CLI::IsMember({90, 180, 270}));
    app.add_option("--format", opts.format,
                   "Output format: pdf (default: one page per image, the image stored as JPEG), jpg, png, or same (the "
                   "input's format; GIF becomes PNG)")
        ->check(CLI::IsMember({"pdf", "jpg", "png", "same"}));
}

/// --quality, --turn-pixels, --reencode and --dpi: how JPEG and PDF outputs are made.
void add_encoding_options(CLI::App& app, command_line& c) {
    rotate::options& opts = c.opts;
    app.add_option("--quality", opts.quality,
                   "JPEG quality for jpg and pdf outputs, 1 to 100 (default 90). Given, JPEG inputs are "
                   "re-encoded at this quality instead of turned losslessly")
        ->check(parmap_examples::whole_number(1, 100, false));
    app.add_flag("--turn-pixels", opts.turn_pixels,
                 "PDF from JPEG: embed the turned image (turned losslessly where exact, else decoded and re-encoded) instead of "
                 "the original JPEG drawn turned by the page's matrix. Without it a viewer shows the same turned photo, but "
                 "pdfimages extracts the original, unturned");
    app.add_flag("--reencode", c.reencode, "Decode and re-encode JPEG inputs at --quality (default 90) even where they could be "
                                           "turned losslessly (without --quality or --reencode: lossless where exact)");
    app.add_option("--dpi", opts.dpi, "PDF page size: pixels per inch of the page (default 72: one point per pixel). A PDF page is 3 "
                                      "to 14400 points a side, so at --dpi D an image's long side may have at most 200 x D pixels "
                                      "and its short side at least D / 24 (1 to 100000)")
        ->check(parmap_examples::finite_number(1, 100000));
}

/// --backend, --workers, --force, --sync, --max-pixels, -q and --json: how the batch runs and what it says.
void add_run_options(CLI::App& app, command_line& c) {
    rotate::options& opts = c.opts;
    parmap_examples::add_backend_option(app, c.backend, "How files are spread over threads");
    app.add_option("--workers", c.workers, "Files processed at once (default: the CPUs this process may use); memory use is "
                                           "about one decoded image per worker")
        ->check(parmap_examples::whole_number(std::size_t{1}, std::size_t{256}, false));
    app.add_flag("--force", opts.force, "Overwrite outputs that already exist (never an input)");
    app.add_flag("--sync", opts.sync, "Flush each output to disk before renaming it into place (survives power loss; slower)");
    app.add_option("--max-pixels", opts.max_pixels,
                   "Refuse images that declare more pixels than this, from their header, before decoding (default 200000000)")
        ->check(parmap_examples::whole_number(std::uint64_t{1}, std::uint64_t{1} << 40, false));
    app.add_flag("-q,--quiet", opts.quiet, "Print only errors: no progress line, no summary");
    app.add_flag("--json", opts.json, "Print one JSON record per file and a summary record on stdout (JSON Lines); a file name that "
                                      "is not UTF-8 gets U+FFFD for its stray bytes, and its bytes in hex as input_hex / output_hex");
}

/// Parses the command line into `c`. Returns the exit status where the program ends here: 0 after --help,
/// 2 after a usage error (one line on stderr).
std::optional<int> parse(int argc, char** argv, command_line& c) {
    CLI::App app{about};
    add_file_options(app, c);
    add_encoding_options(app, c);
    add_run_options(app, c);
    if (const std::optional<int> status = parmap_examples::parse_options(app, argc, argv, "parmap-rotate")) return status;
    c.opts.lossless = app.get_option("--quality")->count() == 0 && !c.reencode;
    if (c.workers == 0) c.workers = parmap::thread_pool::default_size();
    return std::nullopt;
}

/// Tunes glibc's allocator for a batch of images (elsewhere nothing).
void keep_freed_memory() {
#if defined(__GLIBC__)
    // Each file allocates a few megabytes and frees them. glibc would hand such blocks back to the kernel
    // (mmap/munmap, heap trimming) and fault them in again for the next file: half the run time in the kernel.
    // Keeping them in the heap bounds memory by the largest images in flight, as before.
    mallopt(M_MMAP_THRESHOLD, 256 << 20);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

/// Processes every file of `work` on the chosen backend, one file per chunk, until all are done or a signal
/// stops them; then the report. Returns the exit status.
int run(const command_line& c, rotate::batch& work) {
    parmap_examples::catch_stop_signals(on_signal, SA_RESTART);
    const bool show_progress = !c.opts.quiet && ::isatty(STDERR_FILENO) != 0;
    const auto dynamic = parmap::chunks::dynamic(1);  // one file per chunk: files differ in cost
    const auto start = std::chrono::steady_clock::now();
    try {
        std::visit([&](const auto& policy) { run_with(policy.stop(stop_on_signal.token()), show_progress, work); },
                   parmap_examples::cpu_policy_named(c.backend, c.workers, dynamic));
    } catch (const parmap::cancelled&) {
        if (show_progress) std::fprintf(stderr, "\r\x1b[K");
    } catch (const std::exception& e) {  // process() catches per-file errors; this is the library itself failing
        std::fprintf(stderr, "parmap-rotate: %s\n", e.what());
        return 1;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const rotate::totals t = work.report(seconds, c.backend == "serial" ? 1 : c.workers, signal_received != 0);
    if (signal_received != 0) return 130;
    return t.failed != 0 ? 1 : 0;
}

} // namespace

int main(int argc, char** argv) {
    command_line c;
    if (const std::optional<int> status = parse(argc, argv, c)) return *status;
    parmap_examples::remember_umask();
    keep_freed_memory();
    rotate::batch work(c.opts);
    std::string plan_error;
    if (const int status = work.plan(c.inputs, plan_error); status != 0) {
        std::fprintf(stderr, "parmap-rotate: %s\n", plan_error.c_str());
        return status;
    }
    return run(c, work);
}
