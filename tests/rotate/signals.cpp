// A stop signal that was ignored when a program started stays ignored: under `nohup` (SIGHUP) or as a
// background job of a shell without job control (SIGINT), parmap-mandelbrot and parmap-rotate run to the
// end instead of stopping at logout or at a Ctrl-C meant for the foreground.
#include "tool.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace rotate_test;

namespace {

constexpr int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

// start_program with the stop signals ignored, as nohup and a background job start a program.
pid_t start_with_stop_signals_ignored(const std::string& program, const std::vector<std::string>& args, const fs::path& dir) {
    struct sigaction ignore {}, saved[3];
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (int k = 0; k < 3; ++k) sigaction(stop_signals[k], &ignore, &saved[k]);
    const pid_t pid = start_program(program, args, dir);
    for (int k = 0; k < 3; ++k) sigaction(stop_signals[k], &saved[k], nullptr);
    return pid;
}

// Waits until the program has written into the FIFO `fd` (opened for reading, non-blocking), so that it is
// past installing its handlers; false if it ended first.
bool wait_for_data(int fd, pid_t pid) {
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 100) > 0 && (p.revents & POLLIN) != 0) return true;
        siginfo_t info{};
        if (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) return false;
    }
}

} // namespace

TEST_CASE("A stop signal ignored at start stays ignored", "[rotate][mandelbrot][signal]") {
    scratch_dir dir;
    write_bytes(dir / "photo.png", rotate::encode_png(asymmetric(400, 300, 3, 8)));
    struct program {
        std::string path;
        std::vector<std::string> args;
    };
    // Each writes an image of well over 64 KiB into a FIFO, so it is still writing (the pipe is full) when
    // the signals arrive; parmap-rotate writes into the FIFO named as its output (--force).
    const fs::path fifo = dir / "photo_flipped.png";
    const std::vector<program> programs{
        {PARMAP_MANDELBROT_TOOL, {"-o", fifo.string(), "--width", "600", "--height", "600"}},
        {PARMAP_ROTATE_TOOL, {(dir / "photo.png").string(), "--format", "png", "--force"}},
    };
    for (const program& p : programs) {
        INFO(p.path);
        scratch_dir logs;
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        const int fd = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        REQUIRE(fd >= 0);
        const pid_t pid = start_with_stop_signals_ignored(p.path, p.args, logs.path());
        std::vector<std::uint8_t> bytes;
        if (wait_for_data(fd, pid)) {
            for (int s : stop_signals) ::kill(pid, s);
            ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
            std::uint8_t buffer[65536];
            for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) bytes.insert(bytes.end(), buffer, buffer + n);
        }
        ::close(fd);
        const run_result r = finish_tool(pid, logs.path());
        INFO(r.err);
        CHECK(r.status == 0);
        CHECK(bytes.size() > 65536);
        CHECK(rotate::decode(bytes.data(), bytes.size(), rotate::file_format::png, 1u << 20).width >= 400);
        fs::remove(fifo);
    }
}
