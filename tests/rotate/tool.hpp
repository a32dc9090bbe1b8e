// Helpers for the parmap-rotate tests: a scratch directory, running the tool as a user would (a child
// process with its own stdout and stderr), generated asymmetric images, and reading outputs back.
#pragma once

#include "image.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rotate_test {

namespace fs = std::filesystem;

/// @brief A fresh directory under the system's temporary directory, removed with everything in it.
class scratch_dir {
public:
    scratch_dir();
    ~scratch_dir();
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

/// @brief What a finished run of the tool left: its exit status (-signal if killed), stdout, stderr.
struct run_result {
    int status = -1;
    std::string out;
    std::string err;
};

/// @brief Starts `program` with `args`; its stdout and stderr go to files in `dir`. With `unprivileged`, a
/// test run as root runs the program as user nobody, so that file permissions apply to it.
pid_t start_program(const std::string& program, const std::vector<std::string>& args, const fs::path& dir, bool unprivileged = false);
/// @brief start_program for parmap-rotate.
pid_t start_tool(const std::vector<std::string>& args, const fs::path& dir);
/// @brief Waits for a child started by start_tool and collects what it printed.
run_result finish_tool(pid_t pid, const fs::path& dir);
/// @brief start_tool then finish_tool, with the output files in a scratch directory.
run_result run_tool(const std::vector<std::string>& args);
/// @brief The same for another program (parmap-mandelbrot); see start_program for `unprivileged`.
run_result run_program(const std::string& program, const std::vector<std::string>& args, bool unprivileged = false);

/// @brief A width x height image with the given channels and bits whose every pixel differs from its
/// mirror images, so that any wrong rotation or flip changes it.
rotate::image asymmetric(int width, int height, int channels, int bits);
/// @brief A smooth image (gradients plus a bright block near the top-left corner) that JPEG keeps well.
rotate::image smooth(int width, int height, int channels);
/// @brief A JPEG made by TurboJPEG directly (not the tool's encoder), with the given subsampling (TJSAMP_*),
/// quality and TurboJPEG flags (e.g. TJFLAG_PROGRESSIVE).
std::vector<std::uint8_t> jpeg_with(const rotate::image& img, int subsampling, int quality, int flags = 0);
/// @brief The smallest GIF89a: 1x1, one palette entry. Its image data is the sub-block {2, 'D', 1}, then the
/// terminator 0 and the trailer ';' (GIF is read but never written, so it is spelled out).
std::vector<std::uint8_t> tiny_gif();
/// @brief The rotation written independently of the tool: each input pixel (x, y) sent to its place.
rotate::image expected_rotation(const rotate::image& in, int degrees);

/// @brief Mean and largest absolute sample difference (8-bit images of equal shape).
struct difference {
    double mean = 0;
    int max = 0;
};
difference compare(const rotate::image& a, const rotate::image& b);

std::vector<std::uint8_t> read_bytes(const fs::path& path);
void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes);
/// @brief Decodes a file with the tool's own decoders (stb_image for PNG/PNM, TurboJPEG for JPEG).
rotate::image decode_file(const fs::path& path);
/// @brief Renders page 1 of a PDF with poppler's pdftoppm at `dpi` (in gray or RGB) and decodes it.
rotate::image render_pdf(const fs::path& pdf, int dpi, bool gray = false);
/// @brief The page count that poppler's pdfinfo reads from the file.
int pdf_pages(const fs::path& pdf);
/// @brief Output of a shell command (e.g. pdfinfo), or throws when it fails.
std::string command_output(const std::string& command);

/// @brief Every path under `dir` (recursively) whose name contains `text`.
std::vector<fs::path> files_containing(const fs::path& dir, const std::string& text);
/// @brief How many times `needle` occurs in `haystack`.
std::size_t count_of(const std::string& haystack, const std::string& needle);

} // namespace rotate_test
