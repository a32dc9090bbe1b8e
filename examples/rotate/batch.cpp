// parmap-rotate's batch: planning, the work on one file, the report; see batch.hpp.
#include "batch.hpp"

#include "icc.hpp"
#include "lossless.hpp"
#include "pdf.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <map>
#include <new>
#include <optional>
#include <set>
#include <sys/stat.h>

namespace rotate {
namespace fs = std::filesystem;
using parmap_examples::read_input;
using parmap_examples::write_atomically;
namespace {

std::string lowercase(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_image_name(const fs::path& p) {
    static const std::set<std::string> extensions{".jpg", ".jpeg", ".png", ".bmp", ".tga", ".gif"};
    return extensions.count(lowercase(p.extension().string())) != 0;
}

bool is_earlier_output(const fs::path& p) {
    const std::string stem = p.stem().string();
    return stem.size() >= 8 && stem.compare(stem.size() - 8, 8, "_flipped") == 0;
}

// The identity of a path for collision checks: absolute, normalised, symbolic links in existing parents resolved.
std::string identity(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path).lexically_normal().string() : p.string();
}

// The length of the valid UTF-8 sequence at text[at] (1 to 4 bytes), or 0: a stray continuation byte, an
// overlong form, a surrogate, a code point past U+10FFFF or a cut sequence (RFC 3629's table).
std::size_t utf8_length(const std::string& text, std::size_t at) {
    const auto byte = [&](std::size_t k) { return at + k < text.size() ? static_cast<unsigned char>(text[at + k]) : 0u; };
    const unsigned lead = byte(0);
    const auto in = [](unsigned b, unsigned low, unsigned high) { return b >= low && b <= high; };
    if (lead < 0x80) return 1;
    if (in(lead, 0xc2, 0xdf)) return in(byte(1), 0x80, 0xbf) ? 2 : 0;
    const unsigned second_low = lead == 0xe0 ? 0xa0 : lead == 0xf0 ? 0x90 : 0x80;
    const unsigned second_high = lead == 0xed ? 0x9f : lead == 0xf4 ? 0x8f : 0xbf;
    if (in(lead, 0xe0, 0xef)) return in(byte(1), second_low, second_high) && in(byte(2), 0x80, 0xbf) ? 3 : 0;
    if (in(lead, 0xf0, 0xf4))
        return in(byte(1), second_low, second_high) && in(byte(2), 0x80, 0xbf) && in(byte(3), 0x80, 0xbf) ? 4 : 0;
    return 0;
}

bool is_utf8(const std::string& text) {
    for (std::size_t at = 0, n = 0; at < text.size(); at += n)
        if ((n = utf8_length(text, at)) == 0) return false;
    return true;
}

// A JSON string (RFC 8259: UTF-8 only). Bytes that are not UTF-8 (a file name in Latin-1) become U+FFFD;
// json_name adds the exact bytes in hex for those.
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (std::size_t at = 0, n = 0; at < s.size(); at += n) {
        n = utf8_length(s, at);
        const auto u = static_cast<unsigned char>(s[at]);
        if (n == 0) {
            out += "\\ufffd";
            n = 1;
        } else if (s[at] == '"' || s[at] == '\\') {
            out += '\\';
            out += s[at];
        } else if (u < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
            out += escaped;
        } else {
            out.append(s, at, n);
        }
    }
    return out + "\"";
}

// "key":"name", and "key_hex":"..." with the name's bytes when it is not UTF-8, so that the record stays
// JSON and the file can still be found.
std::string json_name(const char* key, const std::string& name) {
    std::string out = "\"" + std::string(key) + "\":" + json_string(name);
    if (is_utf8(name)) return out;
    out += ",\"" + std::string(key) + "_hex\":\"";
    for (char c : name) {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(c));
        out += hex;
    }
    return out + "\"";
}

// Decoders quote bytes of the file in their messages (stb: "ID\x1b\x07 PNG chunk not known"): no control
// characters reach the terminal (file names in messages may be UTF-8, so bytes above 0x7f stay).
std::string printable(std::string text) {
    for (char& c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
    return text;
}

const char* outcome_name(outcome o) {
    return o == outcome::written ? "written" : o == outcome::failed ? "failed" : o == outcome::skipped ? "skipped" : "not_done";
}

// The ICC profile when it describes the image's colours (gray, with or without alpha, or RGB), else none.
std::vector<std::uint8_t> profile_for(const std::vector<std::uint8_t>& profile, int channels) {
    return icc_channels(profile) == (channels <= 2 ? 1 : 3) ? profile : std::vector<std::uint8_t>{};
}

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// The same file under two names (a.jpg and ./a.jpg, a file and its directory, a symbolic link and its
// target) is done once, under the first; each other name is reported as skipped, with that first name.
// Returns the identities of the inputs.
std::set<std::string> skip_second_names(std::vector<job>& jobs) {
    std::map<std::string, std::string> first_name;  // identity -> the first input naming it
    for (job& j : jobs) {
        const auto [first, added] = first_name.emplace(identity(j.input), j.input);
        if (added || j.result != outcome::pending) continue;
        j.result = outcome::skipped;
        j.error = "the same file as " + first->second;
    }
    std::set<std::string> seen_inputs;
    for (const auto& entry : first_name) seen_inputs.insert(entry.first);
    return seen_inputs;
}

// -o DIR, made where it is missing; false, with `error` set, when it cannot be.
bool make_output_dir(const std::string& dir, std::string& error) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (!ec && fs::is_directory(dir)) return true;
    error = "cannot create the output directory " + dir + ": " + (ec ? ec.message() : std::string("a file of that name exists"));
    return false;
}

// Each input's own reason first (missing, a directory, not an image), from its first bytes: such an input
// writes nothing, so it takes no part in the output checks after it and is never reported as their cause.
void fail_unreadable(std::vector<job>& jobs) {
    for (job& j : jobs) {
        if (j.result != outcome::pending) continue;
        try {
            const std::vector<std::uint8_t> signature = read_input(j.input, signature_bytes);
            require_known(sniff_format(signature.data(), signature.size(), lowercase(fs::path(j.input).extension().string()) == ".tga"));
        } catch (const image_error& e) {
            j.result = outcome::failed;
            j.error = e.what();
        }
    }
}

// Collisions, found before any work: two inputs with one output, or an output that is one of `inputs`.
void fail_collisions(std::vector<job>& jobs, const std::set<std::string>& inputs) {
    std::map<std::string, std::vector<std::size_t>> by_output;
    for (std::size_t i = 0; i < jobs.size(); ++i)
        if (jobs[i].result == outcome::pending) by_output[identity(jobs[i].output)].push_back(i);
    for (const auto& [output, users] : by_output) {
        if (inputs.count(output) != 0) {
            for (std::size_t i : users) jobs[i].error = "its output " + jobs[i].output + " is one of the inputs";
        } else if (users.size() > 1) {
            std::string names;
            for (std::size_t i : users) names += (names.empty() ? "" : " and ") + jobs[i].input;
            for (std::size_t i : users) jobs[i].error = names + " would write the same output " + jobs[i].output + ": none is written";
        }
        for (std::size_t i : users)
            if (!jobs[i].error.empty()) jobs[i].result = outcome::failed;
    }
}

// With -r and -o the mirrored subdirectories are made before any work, on one thread.
void make_output_subdirs(std::vector<job>& jobs) {
    for (job& j : jobs) {
        if (j.result != outcome::pending) continue;
        std::error_code ec;
        fs::create_directories(fs::path(j.output).parent_path(), ec);
        if (ec) {
            j.result = outcome::failed;
            j.error = "cannot create the output's directory: " + ec.message();
        }
    }
}

// The summary's counts; `skipped`: the directory entries that were never jobs.
totals totals_of(const std::vector<job>& jobs, std::size_t skipped) {
    totals t;
    t.skipped = skipped;
    for (const job& j : jobs) {
        t.bytes_in += j.bytes_in;
        t.bytes_out += j.bytes_out;
        if (j.result == outcome::written) ++t.written;
        else if (j.result == outcome::failed) ++t.failed;
        else if (j.result == outcome::skipped) ++t.skipped;
        else ++t.not_done;
    }
    return t;
}

// One line on stderr per failed file, and (unless `quiet`) per skipped one, whatever the file is called.
void print_problems(const std::vector<job>& jobs, bool quiet) {
    for (const job& j : jobs) {
        if (j.result == outcome::failed)
            std::fprintf(stderr, "parmap-rotate: %s: %s\n", printable(j.input).c_str(), printable(j.error).c_str());
        if (j.result == outcome::skipped && !quiet)
            std::fprintf(stderr, "parmap-rotate: %s: skipped: %s\n", printable(j.input).c_str(), printable(j.error).c_str());
    }
}

// --json: a record per file, then the summary's record.
void print_json(const std::vector<job>& jobs, const totals& t, double seconds, double rate, std::size_t workers, bool interrupted) {
    for (const job& j : jobs) {
        std::printf("{%s,%s,\"status\":\"%s\",\"error\":%s,\"width\":%d,\"height\":%d,\"bytes_in\":%llu,"
                    "\"bytes_out\":%llu,\"lossless\":%s}\n",
                    json_name("input", j.input).c_str(), json_name("output", j.output).c_str(), outcome_name(j.result),
                    j.error.empty() ? "null" : json_string(j.error).c_str(), j.width, j.height,
                    static_cast<unsigned long long>(j.bytes_in), static_cast<unsigned long long>(j.bytes_out),
                    j.lossless ? "true" : "false");
    }
    std::printf("{\"summary\":{\"written\":%zu,\"failed\":%zu,\"skipped\":%zu,\"not_done\":%zu,\"bytes_in\":%llu,"
                "\"bytes_out\":%llu,\"seconds\":%.3f,\"images_per_second\":%.1f,\"workers\":%zu,\"interrupted\":%s}}\n",
                t.written, t.failed, t.skipped, t.not_done, static_cast<unsigned long long>(t.bytes_in),
                static_cast<unsigned long long>(t.bytes_out), seconds, rate, workers, interrupted ? "true" : "false");
}

// After a stop: how many files were not done, and the first ten of them.
void print_not_done(const std::vector<job>& jobs, std::size_t not_done) {
    std::fprintf(stderr, "parmap-rotate: stopped: %zu file%s not done (finished files are complete; no partial output was left)\n",
                 not_done, not_done == 1 ? "" : "s");
    std::size_t listed = 0;
    for (const job& j : jobs)
        if (j.result == outcome::pending && listed++ < 10) std::fprintf(stderr, "  not done: %s\n", printable(j.input).c_str());
    if (not_done > 10) std::fprintf(stderr, "  ... and %zu more\n", not_done - 10);
}

} // namespace

std::string batch::output_for(const std::string& input, const std::string& mirrored_below, std::string& format) const {
    const fs::path in(input);
    const std::string ext = lowercase(in.extension().string());
    format = options_.format;
    if (format == "same") format = ext == ".jpg" || ext == ".jpeg" ? "jpg" : ext == ".bmp" ? "bmp" : ext == ".tga" ? "tga" : "png";
    const fs::path dir = options_.output_dir.empty() ? in.parent_path() : fs::path(options_.output_dir) / mirrored_below;
    return (dir / (in.stem().string() + "_flipped." + format)).string();
}

void batch::add_file(const std::string& path, const std::string& mirrored_below) {
    job j;
    j.input = path;
    j.output = output_for(path, mirrored_below, j.output_format);
    jobs_.push_back(std::move(j));
}

void batch::add_directory(const std::string& dir, const std::string& mirrored_below) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) {
        job j;
        j.input = dir;
        j.result = outcome::failed;
        j.error = "cannot list the directory: " + ec.message();
        jobs_.push_back(std::move(j));
        return;
    }
    std::sort(entries.begin(), entries.end());  // the same order on every run
    for (const fs::directory_entry& entry : entries) {
        const fs::path& p = entry.path();
        const std::string name = p.filename().string();
        if (name.empty() || name[0] == '.') {  // hidden files, and our own temporary files
            ++skipped_;
        } else if (options_.recursive && entry.is_directory(ec) && !entry.is_symlink(ec)) {  // like find: no link loops
            add_directory(p.string(), (fs::path(mirrored_below) / name).string());
        } else if (is_image_name(p) && !is_earlier_output(p)) {
            add_file(p.string(), mirrored_below);  // a directory named x.jpg fails later with its reason
        } else {
            ++skipped_;
        }
    }
}

int batch::plan(const std::vector<std::string>& inputs, std::string& error) {
    for (const std::string& input : inputs) {
        std::error_code ec;
        if (fs::is_directory(input, ec)) add_directory(input, "");
        else add_file(input, "");  // missing or unreadable files fail with their reason, like any other
    }
    if (jobs_.empty()) {
        error = "nothing to do: no images (.jpg .jpeg .png .bmp .tga .gif) in the given directories";
        return 2;
    }
    const std::set<std::string> seen_inputs = skip_second_names(jobs_);
    if (!options_.output_dir.empty() && !make_output_dir(options_.output_dir, error)) return 1;
    fail_unreadable(jobs_);
    fail_collisions(jobs_, seen_inputs);
    if (!options_.output_dir.empty()) make_output_subdirs(jobs_);
    return 0;
}

// A PDF page outside the limits is refused from the header's size, before any decoding. A header that cannot
// be read is left to the decoder, which reports it as it reports any damage.
void batch::check_page_from_header(const std::vector<std::uint8_t>& bytes, file_format format) const {
    image_header h;
    try {
        h = read_header(bytes.data(), bytes.size(), format);
    } catch (const image_error&) {
        return;
    }
    if (h.width > 0 && h.height > 0) check_pdf_page(h.width, h.height, options_.dpi);
}

// The lossless path (JPEG to jpg or pdf, no --quality, no --reencode): the output's bytes, or none when the
// turn would not be exact or the data has damage that decoding must report. To PDF the original JPEG is
// embedded and turned by the page (unless --turn-pixels); to jpg its coefficients are turned.
std::vector<std::uint8_t> batch::turned_losslessly(job& j, const std::vector<std::uint8_t>& bytes, file_format format,
                                                  const std::vector<std::uint8_t>& profile) const {
    if (!options_.lossless || format != file_format::jpeg || (j.output_format != "pdf" && j.output_format != "jpg")) return {};
    if (j.output_format == "pdf" && !options_.turn_pixels) {
        // The JPEG as it is, drawn turned by the page's matrix: any size, nothing decoded. Its coefficients are
        // read once all the same, so that a damaged file is refused (by the decoder, with its usual message).
        const image_header h = read_header(bytes.data(), bytes.size(), format);
        check_pixel_limit(h, options_.max_pixels);
        if (!reads_cleanly(bytes.data(), bytes.size())) return {};
        j.width = h.width;
        j.height = h.height;
        j.lossless = true;
        return pdf_with_jpeg(bytes, h.width, h.height, options_.dpi, profile, options_.angle);
    }
    std::optional<turned_jpeg> turned = rotated_losslessly(bytes.data(), bytes.size(), options_.angle, options_.max_pixels);
    if (!turned) return {};
    const bool quarter_turn = options_.angle != 180;
    j.width = quarter_turn ? turned->height : turned->width;  // the input's size, as the decoding path reports it
    j.height = quarter_turn ? turned->width : turned->height;
    j.lossless = true;
    if (j.output_format == "jpg") return jpeg_with_icc(turned->bytes, profile);  // TJXOPT_COPYNONE dropped every marker
    return pdf_with_jpeg(turned->bytes, turned->width, turned->height, options_.dpi, profile);
}

// Every other case: decode, turn the pixels, encode.
std::vector<std::uint8_t> batch::decoded_and_turned(job& j, const std::vector<std::uint8_t>& bytes, file_format format,
                                                   const std::vector<std::uint8_t>& profile) const {
    image turned = rotated(decode(bytes.data(), bytes.size(), format, options_.max_pixels), options_.angle);
    j.width = options_.angle == 180 ? turned.width : turned.height;
    j.height = options_.angle == 180 ? turned.height : turned.width;
    if (j.output_format == "pdf" || j.output_format == "jpg") {
        const bool ready = turned.bits == 8 && (turned.channels == 1 || turned.channels == 3);
        if (!ready) turned = flattened_to_8bit_opaque(turned);
        std::vector<std::uint8_t> jpeg = encode_jpeg(turned, options_.quality);
        if (j.output_format == "jpg") return jpeg_with_icc(jpeg, profile_for(profile, turned.channels));
        return pdf_with_jpeg(jpeg, turned.width, turned.height, options_.dpi, profile);
    }
    if (j.output_format == "bmp") return encode_bmp(turned);  // BMP and TGA as written here hold no profile
    if (j.output_format == "tga") return encode_tga(turned);
    return png_with_icc(encode_png(turned), profile_for(profile, turned.channels));
}

void batch::process(std::size_t i) noexcept {
    job& j = jobs_[i];
    if (j.result != outcome::pending) return;  // failed in planning
    try {
        struct stat existing {};
        if (!options_.force && ::lstat(j.output.c_str(), &existing) == 0)
            throw image_error("output exists (use --force to overwrite): " + j.output);
        const std::vector<std::uint8_t> bytes = read_input(j.input);
        j.bytes_in = bytes.size();
        const file_format format = sniff_format(bytes.data(), bytes.size(), lowercase(fs::path(j.input).extension().string()) == ".tga");
        if (j.output_format == "pdf") check_page_from_header(bytes, format);
        const std::vector<std::uint8_t> profile = icc_profile(bytes.data(), bytes.size(), format);
        std::vector<std::uint8_t> out = turned_losslessly(j, bytes, format, profile);
        if (out.empty()) out = decoded_and_turned(j, bytes, format, profile);
        write_atomically(j.output, out, options_.force, options_.sync);
        j.bytes_out = out.size();
        j.result = outcome::written;
    } catch (const std::bad_alloc&) {
        j.result = outcome::failed;
        j.error = "out of memory (try fewer --workers)";
    } catch (const std::exception& e) {
        j.result = outcome::failed;
        j.error = e.what();
    }
}

totals batch::report(double seconds, std::size_t workers, bool interrupted) const {
    const totals t = totals_of(jobs_, skipped_);
    print_problems(jobs_, options_.quiet);
    const double rate = seconds > 0 ? static_cast<double>(t.written) / seconds : 0.0;
    if (options_.json) {
        print_json(jobs_, t, seconds, rate, workers, interrupted);
    } else if (!options_.quiet) {
        std::printf("parmap-rotate: %zu written, %zu failed, %zu skipped; %s in, %s out; %.2f s, %.1f images/s (%zu worker%s)\n",
                    t.written, t.failed, t.skipped, megabytes(t.bytes_in).c_str(), megabytes(t.bytes_out).c_str(), seconds, rate,
                    workers, workers == 1 ? "" : "s");
    }
    if (interrupted || t.not_done != 0) print_not_done(jobs_, t.not_done);
    return t;
}

} // namespace rotate
