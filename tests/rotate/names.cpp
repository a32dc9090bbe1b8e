// Names and what they are: an output that is a symbolic link or a FIFO is written through, never replaced;
// any legal output name can be written (the temporary name fits too); a program killed while writing leaves
// no temporary file where the file system has O_TMPFILE; each input is reported by its own fault (missing,
// not an image) before any output check; --json stays UTF-8 whatever the file names' bytes; a file named
// twice (a symbolic link and its target) is done once and the other name reported as skipped.
#include "files.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

using namespace rotate_test;

TEST_CASE("An output that is a symbolic link or a FIFO is written through, never replaced", "[rotate][safety]") {
    scratch_dir dir;
    const rotate::image img = asymmetric(21, 13, 3, 8);
    write_bytes(dir / "a.png", rotate::encode_png(img));
    fs::create_directories(dir / "kept");
    write_bytes(dir / "kept" / "real.png", {1, 2, 3});
    fs::create_symlink("kept/real.png", dir / "a_flipped.png");
    const std::string a = (dir / "a.png").string();

    const run_result refused = run_tool({a, "--format", "png"});
    CHECK(refused.status == 1);
    CHECK(count_of(refused.err, "output exists (use --force to overwrite)") == 1);
    CHECK(read_bytes(dir / "kept" / "real.png") == std::vector<std::uint8_t>{1, 2, 3});

    const run_result forced = run_tool({a, "--format", "png", "--force"});
    INFO(forced.err);
    CHECK(forced.status == 0);
    CHECK(fs::is_symlink(dir / "a_flipped.png"));
    CHECK(decode_file(dir / "kept" / "real.png").pixels == expected_rotation(img, 180).pixels);

    // A FIFO opened by nobody would wait for a reader: only --force writes into one, so the refusal is checked.
    REQUIRE(::mkfifo((dir / "b_flipped.png").c_str(), 0600) == 0);
    write_bytes(dir / "b.png", rotate::encode_png(img));
    const run_result fifo = run_tool({(dir / "b.png").string(), "--format", "png"});
    CHECK(fifo.status == 1);
    CHECK(fs::is_fifo(fs::symlink_status(dir / "b_flipped.png")));
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
}

TEST_CASE("Any legal output name can be written, up to 255 bytes", "[rotate][mandelbrot][safety]") {
    scratch_dir dir;
    // parmap-rotate: a 243-byte stem makes a 255-byte output name, NAME_flipped.png.
    const std::string stem(243, 's');
    write_bytes(dir / (stem + ".png"), rotate::encode_png(asymmetric(21, 13, 3, 8)));
    const run_result r = run_tool({(dir / (stem + ".png")).string(), "--format", "png"});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / (stem + "_flipped.png")));
    // parmap-mandelbrot -o with a 255-byte name.
    const fs::path longest = dir / (std::string(251, 'm') + ".png");
    const run_result m = run_program(PARMAP_MANDELBROT_TOOL, {"-o", longest.string(), "--width", "32", "--height", "24"});
    INFO(m.err);
    CHECK(m.status == 0);
    CHECK(fs::exists(longest));
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
}

TEST_CASE("A program killed while writing leaves no temporary file where the file system has O_TMPFILE", "[rotate][mandelbrot][safety]") {
    scratch_dir dir;
    const int unnamed = ::open(dir.path().c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (unnamed < 0) {
        WARN("no O_TMPFILE in " << dir.path() << ": a program killed while writing may leave .NAME.parmap-tmp-XXXXXX");
        return;
    }
    ::close(unnamed);
    write_bytes(dir / "photo.png", rotate::encode_png(asymmetric(200, 150, 3, 8)));
    // `ulimit -f 1` caps files at a block or two: the first write past it kills the program with SIGXFSZ, in
    // the middle of writing its output, as SIGKILL or a crash would.
    const std::vector<std::vector<std::string>> runs{
        {PARMAP_MANDELBROT_TOOL, "-o", (dir / "m.png").string(), "--width", "300", "--height", "200"},
        {PARMAP_ROTATE_TOOL, (dir / "photo.png").string(), "--format", "png"},
    };
    for (const std::vector<std::string>& run : runs) {
        INFO(run[0]);
        std::vector<std::string> args{"-c", "ulimit -f 1; exec \"$0\" \"$@\""};
        args.insert(args.end(), run.begin(), run.end());
        const run_result r = run_program("/bin/sh", args);
        CHECK(r.status == -SIGXFSZ);
        CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
        CHECK_FALSE(fs::exists(dir / "m.png"));
        CHECK_FALSE(fs::exists(dir / "photo_flipped.png"));
    }
}

TEST_CASE("Each input's own fault is reported before any output check", "[rotate][safety]") {
    scratch_dir dir;
    // A missing input whose output exists is missing, not "output exists".
    write_bytes(dir / "gone_flipped.pdf", {1, 2, 3});
    const run_result gone = run_tool({(dir / "gone.jpg").string()});
    CHECK(gone.status == 1);
    CHECK(count_of(gone.err, (dir / "gone.jpg").string() + ": no such file") == 1);
    CHECK(count_of(gone.err, "output exists") == 0);
    // Files of formats the tool does not read, which would share an output name, are each unsupported, not a clash.
    const std::string text = "not a picture\n";
    for (const char* name : {"photo.webp", "photo.tiff", "photo.heic"}) write_bytes(dir / name, std::vector<std::uint8_t>(text.begin(), text.end()));
    const run_result formats = run_tool({(dir / "photo.webp").string(), (dir / "photo.tiff").string(), (dir / "photo.heic").string()});
    CHECK(formats.status == 1);
    for (const char* name : {"photo.webp", "photo.tiff", "photo.heic"})
        CHECK(count_of(formats.err, (dir / name).string() + ": not an image this tool reads") == 1);
    CHECK(count_of(formats.err, "would write the same output") == 0);
    // An -o DIR that cannot be created fails like any output that cannot be written (status 1, as in
    // parmap-mandelbrot), not as a usage error.
    write_bytes(dir / "a_file", {1});
    write_bytes(dir / "a.png", rotate::encode_png(asymmetric(21, 13, 3, 8)));
    const run_result no_dir = run_tool({(dir / "a.png").string(), "-o", (dir / "a_file" / "sub").string()});
    CHECK(no_dir.status == 1);
    CHECK(count_of(no_dir.err, "parmap-rotate: cannot create the output directory " + (dir / "a_file" / "sub").string()) == 1);
}

TEST_CASE("JSON records (--json) stay UTF-8 for file names that are not", "[rotate][safety]") {
    scratch_dir dir;
    const std::string latin1 = "caf\xe9", utf8 = "caf\xc3\xa9";  // "café" in Latin-1, and in UTF-8
    write_bytes(dir / (latin1 + ".png"), rotate::encode_png(asymmetric(21, 13, 3, 8)));
    write_bytes(dir / (utf8 + "_2.png"), rotate::encode_png(asymmetric(21, 13, 3, 8)));
    const run_result r = run_tool({dir.path().string(), "--format", "png", "--json"});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find(latin1) == std::string::npos);  // no raw Latin-1 byte in the JSON
    CHECK(count_of(r.out, "caf\\ufffd.png\"") == 1);
    std::string hex;
    for (unsigned char c : (dir / (latin1 + ".png")).string()) {
        char two[4];
        std::snprintf(two, sizeof two, "%02x", c);
        hex += two;
    }
    CHECK(count_of(r.out, "\"input_hex\":\"" + hex + "\"") == 1);
    CHECK(count_of(r.out, utf8 + "_2.png\"") == 1);  // UTF-8 names as they are, without a hex twin
    CHECK(count_of(r.out, "_hex") == 2);             // the Latin-1 input and its output only
}

TEST_CASE("A symbolic link and its target are done once, and the other name is reported as skipped", "[rotate][safety]") {
    scratch_dir dir;
    write_bytes(dir / "photo.png", rotate::encode_png(asymmetric(21, 13, 3, 8)));
    fs::create_symlink("photo.png", dir / "same.png");
    const run_result r = run_tool({dir.path().string(), "--format", "png", "--json"});
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK(fs::exists(dir / "photo_flipped.png"));
    CHECK_FALSE(fs::exists(dir / "same_flipped.png"));
    const std::string record = "\"input\":\"" + (dir / "same.png").string() + "\"";
    REQUIRE(count_of(r.out, record) == 1);
    const std::string after = r.out.substr(r.out.find(record));
    CHECK(after.find("\"status\":\"skipped\",\"error\":\"the same file as " + (dir / "photo.png").string() + "\"") < after.find('\n'));
    CHECK(count_of(r.out, "\"written\":1,\"failed\":0,\"skipped\":1,") == 1);
    CHECK(count_of(r.err, "parmap-rotate: " + (dir / "same.png").string() + ": skipped: the same file as " + (dir / "photo.png").string()) == 1);
}
