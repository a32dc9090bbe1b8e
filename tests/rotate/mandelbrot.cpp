// parmap-mandelbrot writes its images as parmap-rotate writes its outputs: whole, under a temporary name that
// is renamed into place (never rewritten in place), with no temporary file left behind; an unwritable destination is one clear error
// (exit status 1) that leaves nothing. Its images are read back with the tool's own decoders.
#include "files.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace rotate_test;

namespace {

run_result mandelbrot(const std::vector<std::string>& args, bool unprivileged = false) {
    return run_program(PARMAP_MANDELBROT_TOOL, args, unprivileged);
}

std::size_t lines_in(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) n += c == '\n' ? 1 : 0;
    return n;
}

} // namespace

TEST_CASE("parmap-mandelbrot writes whole images and leaves no temporary file", "[mandelbrot][safety]") {
    scratch_dir dir;
    for (const char* format : {"jpg", "png"}) {
        INFO(format);
        const fs::path samples = dir / (std::string("samples_") + format);
        const run_result r = mandelbrot({"--count", "3", "--out-dir", samples.string(), "--width", "64", "--height", "48", "--format", format});
        INFO(r.err);
        REQUIRE(r.status == 0);
        for (int k = 0; k < 3; ++k) {
            const rotate::image img = decode_file(samples / ("mandelbrot_00" + std::to_string(k) + "." + format));
            CHECK(img.width == 64);
            CHECK(img.height == 48);
        }
    }
    // One image over an existing file: a new file is renamed onto the name, the old one is not rewritten in
    // place (a second name of the old file, a hard link, still reads the old bytes).
    write_bytes(dir / "one.png", {1, 2, 3});
    fs::create_hard_link(dir / "one.png", dir / "old.png");
    const run_result r = mandelbrot({"-o", (dir / "one.png").string(), "--width", "40", "--height", "30"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(decode_file(dir / "one.png").width == 40);
    CHECK(read_bytes(dir / "old.png") == std::vector<std::uint8_t>{1, 2, 3});
    CHECK(files_containing(dir.path(), rotate::temp_marker).empty());
}

TEST_CASE("parmap-mandelbrot refuses an unwritable destination with one error and leaves nothing", "[mandelbrot][safety]") {
    if (mandelbrot({"--help"}, /*unprivileged=*/true).status != 0) {
        WARN("parmap-mandelbrot cannot run as user nobody here (a build under a private directory?): not tested");
        return;
    }
    scratch_dir dir;
    fs::permissions(dir.path(), fs::perms::others_exec, fs::perm_options::add);  // so that nobody reaches `locked`
    const fs::path locked = dir / "locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
    write_bytes(dir / "a_file", {1, 2, 3});
    struct attempt {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<attempt> attempts{
        {{"-o", (locked / "m.png").string()}, "cannot write " + (locked / "m.png").string() + ": cannot create a temporary file"},
        {{"-o", (locked / "m.jpg").string()}, "cannot write " + (locked / "m.jpg").string() + ": cannot create a temporary file"},
        {{"--count", "2", "--out-dir", locked.string()}, "cannot write " + (locked / "mandelbrot_000.jpg").string()},
        {{"--count", "2", "--out-dir", (locked / "sub").string()}, "cannot create the output directory " + (locked / "sub").string()},
        {{"--count", "2", "--out-dir", (dir / "a_file").string()}, "cannot create the output directory"},
        {{"-o", (dir / "a_file" / "m.png").string()},
         "cannot write " + (dir / "a_file" / "m.png").string() + ": cannot create a temporary file in the output directory: Not a directory"},
    };
    for (const attempt& a : attempts) {
        std::vector<std::string> args = a.args;
        args.insert(args.end(), {"--width", "32", "--height", "24"});
        // Root may write anywhere: the program runs as nobody then, for whom `locked` is read-only.
        const run_result r = mandelbrot(args, /*unprivileged=*/true);
        INFO(args[1] << "\n" << r.err);
        CHECK(r.status == 1);
        CHECK(r.err.find("parmap-mandelbrot: " + a.says) == 0);
        CHECK(lines_in(r.err) == 1);
    }
    CHECK(fs::is_empty(locked));
    CHECK(files_containing(dir.path(), rotate::temp_marker).empty());
}
