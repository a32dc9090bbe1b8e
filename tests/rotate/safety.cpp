// parmap-rotate never loses or half-writes a file: every bad input gets its one-line error and leaves no
// output and no temporary file while the other files succeed; existing outputs are kept without --force;
// colliding outputs are refused before any work; a 300-file batch on 8 workers with bad files mixed in;
// SIGINT in the middle of a batch leaves only complete files.
#include "files.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <chrono>
#include <csignal>
#include <random>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace rotate_test;

namespace {

// The value of "key":N in the tool's --json summary line.
long summary_value(const std::string& out, const std::string& key) {
    const std::size_t summary = out.find("{\"summary\":");
    REQUIRE(summary != std::string::npos);
    const std::size_t at = out.find("\"" + key + "\":", summary);
    REQUIRE(at != std::string::npos);
    return std::stol(out.substr(at + key.size() + 3));
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::vector<std::uint8_t> bytes(n);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(gen() & 0x7fu);  // never 0x89 or 0xff: no image signature
    return bytes;
}

std::vector<std::uint8_t> cmyk_jpeg() {
    std::vector<std::uint8_t> cmyk(32 * 24 * 4, 100);
    tjhandle h = tjInitCompress();
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    REQUIRE(tjCompress2(h, cmyk.data(), 32, 0, 24, TJPF_CMYK, &buffer, &size, TJSAMP_444, 90, 0) == 0);
    std::vector<std::uint8_t> out(buffer, buffer + size);
    tjFree(buffer);
    tjDestroy(h);
    return out;
}

std::size_t files_in(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) n += entry.is_regular_file() ? 1 : 0;
    return n;
}

} // namespace

TEST_CASE("Every bad input gets its error and leaves no output or temporary file while good files are written", "[rotate][safety]") {
    scratch_dir dir;
    const fs::path in = dir / "in", out = dir / "out";
    fs::create_directories(in);
    const auto photo = rotate::encode_jpeg(smooth(160, 120, 3), 90);
    write_bytes(in / "photo.jpg", photo);
    write_bytes(in / "drawing.png", rotate::encode_png(asymmetric(40, 30, 4, 8)));
    write_bytes(in / "empty.jpg", {});
    write_bytes(in / "truncated.jpg", std::vector<std::uint8_t>(photo.begin(), photo.begin() + static_cast<long>(photo.size() / 2)));
    write_bytes(in / "random.jpg", random_bytes(5000, 1));
    std::vector<std::uint8_t> corrupt{0xff, 0xd8, 0xff};
    const auto noise = random_bytes(3000, 2);
    corrupt.insert(corrupt.end(), noise.begin(), noise.end());
    write_bytes(in / "corrupt.jpg", corrupt);
    const std::string text = "This is a text file, not a picture.\n";
    write_bytes(in / "text.png", std::vector<std::uint8_t>(text.begin(), text.end()));
    fs::create_directories(in / "folder.jpg");
    write_bytes(in / "huge.png", rotate::png_from_scanlines(100000, 100000, 8, 2, {}, 1));
    write_bytes(in / "cmyk.jpg", cmyk_jpeg());
    const bool root = ::geteuid() == 0;  // root reads anything: the unreadable case cannot be made
    if (!root) {
        write_bytes(in / "locked.jpg", photo);
        fs::permissions(in / "locked.jpg", fs::perms::none);
    }
    const fs::path missing = in / "missing.jpg";

    const run_result r = run_tool({in.string(), missing.string(), "-o", out.string(), "--json", "--workers", "3"});
    INFO(r.out << r.err);
    CHECK(r.status == 1);
    CHECK(summary_value(r.out, "written") == 2);
    CHECK(summary_value(r.out, "failed") == (root ? 9 : 10));
    const std::pair<const char*, const char*> expected[] = {
        {"empty.jpg", "empty file"},
        {"truncated.jpg", "truncated JPEG"},
        {"random.jpg", "not an image this tool reads"},
        {"corrupt.jpg", "not a valid JPEG"},
        {"text.png", "not an image this tool reads"},
        {"folder.jpg", "is a directory"},
        {"huge.png", "declares 100000x100000 pixels, more than --max-pixels"},
        {"cmyk.jpg", "CMYK JPEG is not supported"},
        {"missing.jpg", "no such file"},
        {"locked.jpg", "cannot open: Permission denied"},
    };
    for (const auto& [name, reason] : expected) {
        if (root && std::string(name) == "locked.jpg") continue;
        INFO(name);
        CHECK(count_of(r.err, (in / name).string() + ": ") == 1);  // listed once
        CHECK(count_of(r.err, (in / name).string() + ": " + reason) == 1);
        CHECK_FALSE(fs::exists(out / (fs::path(name).stem().string() + "_flipped.pdf")));
    }
    CHECK(fs::exists(out / "photo_flipped.pdf"));
    CHECK(fs::exists(out / "drawing_flipped.pdf"));
    CHECK(files_in(out) == 2);
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
    CHECK(read_bytes(in / "photo.jpg") == photo);  // inputs untouched

    // The pixel limit is a flag.
    const run_result limited = run_tool({(in / "photo.jpg").string(), "-o", (dir / "limited").string(), "--max-pixels", "1000"});
    CHECK(limited.status == 1);
    CHECK(count_of(limited.err, "160x120 pixels, more than --max-pixels 1000") == 1);
    CHECK(files_in(dir / "limited") == 0);
}

TEST_CASE("Existing outputs are kept without --force and replaced with it", "[rotate][safety]") {
    scratch_dir dir;
    const rotate::image img = asymmetric(21, 13, 3, 8);
    write_bytes(dir / "a.png", rotate::encode_png(img));
    const std::string a = (dir / "a.png").string(), result = (dir / "a_flipped.png").string();
    REQUIRE(run_tool({a, "--format", "png", "--angle", "90"}).status == 0);
    const auto first = read_bytes(result);

    const run_result again = run_tool({a, "--format", "png", "--angle", "270"});
    CHECK(again.status == 1);
    CHECK(count_of(again.err, "output exists (use --force to overwrite)") == 1);
    CHECK(read_bytes(result) == first);

    REQUIRE(run_tool({a, "--format", "png", "--angle", "270", "--force", "--quiet"}).status == 0);
    CHECK(decode_file(result).pixels == expected_rotation(img, 270).pixels);
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
}

TEST_CASE("Inputs that would write the same output are refused before any work", "[rotate][safety]") {
    scratch_dir dir;
    write_bytes(dir / "a.jpg", rotate::encode_jpeg(smooth(32, 24, 3), 90));
    write_bytes(dir / "a.png", rotate::encode_png(asymmetric(32, 24, 3, 8)));
    write_bytes(dir / "b.png", rotate::encode_png(asymmetric(32, 24, 3, 8)));
    const run_result r = run_tool({dir.path().string()});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(count_of(r.err, "a.jpg and " + (dir / "a.png").string() + " would write the same output " + (dir / "a_flipped.pdf").string()) == 2);
    CHECK_FALSE(fs::exists(dir / "a_flipped.pdf"));
    CHECK(fs::exists(dir / "b_flipped.pdf"));

    // An output that is also an input is refused: inputs are never written.
    const auto kept = read_bytes(dir / "b.png");
    write_bytes(dir / "b_flipped.png", kept);
    const run_result same = run_tool({(dir / "b.png").string(), (dir / "b_flipped.png").string(), "--format", "png"});
    CHECK(same.status == 1);
    CHECK(count_of(same.err, "is one of the inputs") == 1);
    CHECK(read_bytes(dir / "b_flipped.png") == kept);
    CHECK(fs::exists(dir / "b_flipped_flipped.png"));
}

TEST_CASE("Nothing to do is a usage error", "[rotate][safety]") {
    scratch_dir dir;
    CHECK(run_tool({dir.path().string()}).status == 2);
    write_bytes(dir / "notes.txt", {'h', 'i'});
    const run_result r = run_tool({dir.path().string()});
    CHECK(r.status == 2);
    CHECK(count_of(r.err, "nothing to do") == 1);
}

TEST_CASE("A 300-file batch on 8 workers with bad files mixed in", "[rotate][safety][batch]") {
    scratch_dir dir;
    const fs::path in = dir / "in", out = dir / "out";
    fs::create_directories(in / "sub");
    std::size_t bad = 0;
    for (int i = 0; i < 300; ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "%s/p%03d.jpg", i % 2 == 0 ? "." : "sub", i);
        if (i % 20 == 7) {
            write_bytes(in / name, random_bytes(static_cast<std::size_t>(100 + i), static_cast<unsigned>(i)));
            ++bad;
        } else {
            write_bytes(in / name, rotate::encode_jpeg(smooth(48 + i % 5, 32 + i % 3, 3), 80));
        }
    }
    for (const char* backend : {"threads", "openmp"}) {
        INFO(backend);
        const fs::path target = out / backend;
        const run_result r = run_tool({in.string(), "-r", "-o", target.string(), "--workers", "8", "--json", "--backend", backend});
        CHECK(r.status == 1);
        CHECK(summary_value(r.out, "written") == static_cast<long>(300 - bad));
        CHECK(summary_value(r.out, "failed") == static_cast<long>(bad));
        CHECK(count_of(r.err, "parmap-rotate: ") == bad);
        CHECK(count_of(r.out, "\"status\":\"written\"") == 300 - bad);
        CHECK(files_in(target) == 300 - bad);
        CHECK(fs::exists(target / "sub" / "p001_flipped.pdf"));  // -r mirrors subdirectories under -o
        CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
    }
    // A sample of the PDFs is read back by a real reader.
    for (int i : {0, 1, 150, 299}) {
        char name[40];
        std::snprintf(name, sizeof name, "%s/p%03d_flipped.pdf", i % 2 == 0 ? "." : "sub", i);
        CHECK(pdf_pages(out / "threads" / name) == 1);
    }
}

TEST_CASE("SIGINT in the middle of a batch leaves only complete files and says what was not done", "[rotate][safety][signal]") {
    scratch_dir dir;
    const fs::path in = dir / "in", out = dir / "out";
    fs::create_directories(in);
    const auto jpeg = rotate::encode_jpeg(smooth(400, 300, 3), 90);
    const rotate::image want = expected_rotation(decode_file([&] {
        write_bytes(in / "p000.jpg", jpeg);
        return in / "p000.jpg";
    }()), 180);
    for (int i = 1; i < 300; ++i) {
        char name[16];
        std::snprintf(name, sizeof name, "p%03d.jpg", i);
        write_bytes(in / name, jpeg);
    }
    // PNG output (slow to encode) on 2 workers, so that the batch is still running when the signal comes.
    const pid_t pid = start_tool({in.string(), "-o", out.string(), "--format", "png", "--workers", "2", "--json"}, dir.path());
    for (int waited = 0; waited < 60000; ++waited) {  // until a few files are done (at most a minute)
        std::error_code ec;
        if (fs::exists(out, ec) && files_containing(out, "_flipped.png").size() >= 3) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ::kill(pid, SIGINT);
    const run_result r = finish_tool(pid, dir.path());
    INFO(r.err);
    const std::vector<fs::path> outputs = files_containing(out, "_flipped.png");
    if (r.status == 0) {
        WARN("the batch finished before SIGINT arrived; checking only that every output is complete");
    } else {
        CHECK(r.status == 130);
        CHECK(summary_value(r.out, "not_done") > 0);
        CHECK(count_of(r.err, "files not done") + count_of(r.err, "file not done") == 1);
    }
    CHECK(static_cast<long>(outputs.size()) == summary_value(r.out, "written"));
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
    for (const fs::path& output : outputs) {
        INFO(output);
        CHECK(decode_file(output).pixels == want.pixels);  // complete and right, not truncated
    }
}

TEST_CASE("Damaged images of every format never crash the tool", "[rotate][safety][fuzz]") {
    // Valid files of every input format, then deterministic damage: truncation, flipped bytes, a mangled header.
    scratch_dir dir;
    const fs::path in = dir / "in";
    fs::create_directories(in);
    const rotate::image rgba = asymmetric(64, 48, 4, 8), rgb = smooth(64, 48, 3);
    const std::vector<std::uint8_t> gif = tiny_gif();
    const std::pair<const char*, std::vector<std::uint8_t>> bases[] = {
        {"png", rotate::encode_png(rgba)},          {"png", rotate::encode_png(asymmetric(30, 20, 1, 16))},
        {"jpg", rotate::encode_jpeg(rgb, 90)},       {"bmp", rotate::encode_bmp(rgb)},
        {"tga", rotate::encode_tga(rgba)},           {"gif", gif},
    };
    std::mt19937 gen(12345);
    std::size_t total = 0;
    for (const auto& [extension, bytes] : bases) {
        for (int variant = 0; variant < 40; ++variant, ++total) {
            std::vector<std::uint8_t> damaged = bytes;
            const std::size_t size = damaged.size();
            if (variant % 3 == 0) {
                damaged.resize(gen() % size);
            } else if (variant % 3 == 1) {
                for (unsigned k = 0; k < 1 + gen() % 8; ++k) damaged[6 + gen() % (size - 6)] = static_cast<std::uint8_t>(gen());
            } else {
                for (std::size_t k = 6; k < std::min<std::size_t>(size, 30); ++k) damaged[k] = static_cast<std::uint8_t>(gen() % 3 == 0 ? 0xff : damaged[k]);
            }
            char name[32];
            std::snprintf(name, sizeof name, "d%03zu.%s", total, extension);
            write_bytes(in / name, damaged);
        }
    }
    const run_result r = run_tool({in.string(), "-o", (dir / "out").string(), "--json", "--workers", "2"});
    INFO(r.err);
    CHECK((r.status == 0 || r.status == 1));  // never a crash (a negative status is a signal)
    CHECK(static_cast<std::size_t>(summary_value(r.out, "written") + summary_value(r.out, "failed")) == total);
    CHECK(count_of(r.err, "parmap-rotate: ") == static_cast<std::size_t>(summary_value(r.out, "failed")));
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
    // The undamaged GIF decodes: a 1x1 page.
    write_bytes(dir / "tiny.gif", gif);
    REQUIRE(run_tool({(dir / "tiny.gif").string(), "--format", "png"}).status == 0);
    CHECK(decode_file(dir / "tiny_flipped.png").width == 1);
}
