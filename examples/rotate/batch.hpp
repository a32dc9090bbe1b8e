// parmap-rotate's batch: the plan (which inputs, which outputs, conflicts found before any work), the work
// on one file, and the report (per-file errors, JSON records, the summary).
#pragma once

#include "files.hpp"
#include "image.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rotate {

/// @brief The command line's choices.
struct options {
    bool recursive = false;
    std::string output_dir;      ///< empty: next to each input
    int angle = 180;             ///< clockwise degrees
    std::string format = "pdf";  ///< pdf, jpg, png or same
    int quality = 90;
    bool lossless = true;        ///< JPEG to jpg/pdf by TurboJPEG's lossless transform when exact (no --quality, no --reencode)
    bool turn_pixels = false;    ///< JPEG to pdf: turned pixels in the PDF, not the original JPEG turned by the page's matrix
    double dpi = 72.0;
    bool force = false;
    bool sync = false;
    std::uint64_t max_pixels = 200'000'000;
    bool quiet = false;
    bool json = false;
};

/// @brief What became of one input; skipped: the same file as an earlier input, done under that name.
enum class outcome { pending, written, failed, skipped };

/// @brief One input and its planned output; the results are filled in by batch::process.
struct job {
    std::string input;
    std::string output;
    std::string output_format;  ///< pdf, jpg, png, bmp or tga
    outcome result = outcome::pending;
    std::string error;  ///< why it failed, or was skipped
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    int width = 0, height = 0;  ///< of the input, once known
    bool lossless = false;      ///< turned without decoding (lossless.hpp)
};

/// @brief The summary's counts.
struct totals {
    std::size_t written = 0, failed = 0, skipped = 0, not_done = 0;
    std::uint64_t bytes_in = 0, bytes_out = 0;
};

/// @brief A batch of files: plan() once, process(i) for every i (from any thread, each i once), report().
class batch {
public:
    explicit batch(options opts) : options_(std::move(opts)) {}

    /// @brief Lists the inputs, plans each output and marks as failed each input that cannot be read as an
    /// image (its own reason) and then each whose output would collide. Returns 0 to go on, else the exit
    /// status with `error` set: 2 when there is nothing to do (a usage error), 1 when -o DIR cannot be created.
    int plan(const std::vector<std::string>& inputs, std::string& error);

    /// @brief Reads, rotates, encodes and writes job i; never throws (a failure is recorded in the job).
    void process(std::size_t i) noexcept;

    std::size_t size() const { return jobs_.size(); }
    const std::vector<job>& jobs() const { return jobs_; }

    /// @brief Prints every failure once (stderr), the JSON records or the summary (stdout), and returns the counts.
    totals report(double seconds, std::size_t workers, bool interrupted) const;

private:
    void add_directory(const std::string& dir, const std::string& mirrored_below);
    void add_file(const std::string& path, const std::string& mirrored_below);
    std::string output_for(const std::string& input, const std::string& mirrored_below, std::string& format) const;
    void check_page_from_header(const std::vector<std::uint8_t>& bytes, file_format format) const;
    std::vector<std::uint8_t> turned_losslessly(job& j, const std::vector<std::uint8_t>& bytes, file_format format,
                                                const std::vector<std::uint8_t>& profile) const;
    std::vector<std::uint8_t> decoded_and_turned(job& j, const std::vector<std::uint8_t>& bytes, file_format format,
                                                 const std::vector<std::uint8_t>& profile) const;

    options options_;
    std::vector<job> jobs_;
    std::size_t skipped_ = 0;  ///< directory entries that are not images, or earlier outputs
};

} // namespace rotate
