// parmap-mandelbrot writes its images as parmap-rotate writes its outputs: whole, under a temporary name that
// is renamed into place (never rewritten in place), with no temporary file left behind; an unwritable destination is one clear error
// (exit status 1) that leaves nothing. Its images are read back with the tool's own decoders. It and
// parmap-pi --plot never replace a link, a device or a FIFO with a regular file.
#include "files.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>
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
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
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
    CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
}

namespace {

// Runs parmap-mandelbrot -o PATH or parmap-pi --plot PATH: the two programs that write one named image.
run_result write_one_image(const std::string& program, const fs::path& path) {
    if (program == "mandelbrot") return mandelbrot({"-o", path.string(), "--width", "32", "--height", "24"});
    return run_program(PARMAP_PI_TOOL, {"--samples", "1000", "--plot", path.string()});
}

// Everything written into a FIFO by one writer, read on a thread. `spare` is a second name of the same FIFO:
// if the program replaced the FIFO's name, opening `spare` for writing lets the reader finish (empty).
class fifo_reader {
public:
    fifo_reader(const fs::path& fifo, const fs::path& spare) : spare_(spare) {
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        fs::create_hard_link(fifo, spare);
        reader_ = std::thread([this, fifo] {
            const int fd = ::open(fifo.c_str(), O_RDONLY | O_CLOEXEC);  // waits for the writer
            if (fd < 0) return;
            std::uint8_t buffer[4096];
            for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes_.insert(bytes_.end(), buffer, buffer + n);
            ::close(fd);
        });
    }
    ~fifo_reader() { finish(); }
    fifo_reader(const fifo_reader&) = delete;
    fifo_reader& operator=(const fifo_reader&) = delete;

    const std::vector<std::uint8_t>& finish() {
        if (reader_.joinable()) {
            const int fd = ::open(spare_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);  // fails once the reader is done
            if (fd >= 0) ::close(fd);
            reader_.join();
        }
        return bytes_;
    }

private:
    fs::path spare_;
    std::vector<std::uint8_t> bytes_;
    std::thread reader_;
};

bool is_char_device(const fs::path& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISCHR(info.st_mode);
}

} // namespace

TEST_CASE("A named image output follows symbolic links and writes into devices and FIFOs without replacing them",
          "[mandelbrot][safety]") {
    for (const std::string program : {"mandelbrot", "pi"}) {
        INFO(program);
        scratch_dir dir;
        // A symbolic link to an existing file: the file gets the image, the link stays a link.
        write_bytes(dir / "target.png", {1, 2, 3});
        fs::create_symlink("target.png", dir / "link.png");
        run_result r = write_one_image(program, dir / "link.png");
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(fs::is_symlink(dir / "link.png"));
        CHECK(fs::is_regular_file(dir / "target.png"));
        CHECK(decode_file(dir / "target.png").width > 16);

        // A link whose target does not exist yet, in another directory: the target is made there.
        fs::create_directories(dir / "sub");
        fs::create_symlink("sub/made.png", dir / "dangling.png");
        r = write_one_image(program, dir / "dangling.png");
        CHECK(r.status == 0);
        CHECK(fs::is_symlink(dir / "dangling.png"));
        CHECK(fs::is_regular_file(dir / "sub" / "made.png"));

        // A FIFO: a reader gets the whole image through it, and it stays a FIFO.
        {
            fifo_reader reader(dir / "pipe.png", dir / "pipe-spare");
            r = write_one_image(program, dir / "pipe.png");
            const std::vector<std::uint8_t> bytes = reader.finish();
            CHECK(r.status == 0);
            CHECK(fs::is_fifo(fs::symlink_status(dir / "pipe.png")));
            REQUIRE(bytes.size() > 8);
            CHECK(rotate::decode(bytes.data(), bytes.size(), rotate::file_format::png, 1u << 20).width > 16);
        }

        // A directory is refused with a reason; nothing is left.
        fs::create_directories(dir / "folder.png");
        r = write_one_image(program, dir / "folder.png");
        CHECK(r.status == 1);
        CHECK(count_of(r.err, "output is a directory: " + (dir / "folder.png").string()) == 1);
        CHECK(fs::is_empty(dir / "folder.png"));
        CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());

        // A character device stays one: first a copy of /dev/null made here (root only), then /dev/null itself,
        // which is written to only once the copy has survived (so that a regression cannot replace it).
        const bool made_device = ::mknod((dir / "null").c_str(), S_IFCHR | 0666, ::makedev(1, 3)) == 0;
        if (made_device) {
            r = write_one_image(program, dir / "null");
            CHECK(r.status == 0);
            REQUIRE(is_char_device(dir / "null"));
        } else if (::geteuid() == 0) {
            WARN("cannot make a character device here: writing to /dev/null is not tested");
            continue;
        }
        REQUIRE(is_char_device("/dev/null"));
        r = write_one_image(program, "/dev/null");
        CHECK(r.status == 0);
        REQUIRE(is_char_device("/dev/null"));
    }
}
