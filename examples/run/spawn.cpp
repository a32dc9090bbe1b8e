#include "spawn.hpp"

#include "spawn_env.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

namespace parmap_run {

namespace {

// The kernel's limit for one argument (MAX_ARG_STRLEN, 32 pages), less its terminating NUL.
constexpr std::size_t max_argument = 32 * 4096 - 1;

// A pipe whose read end (ours) is non-blocking; both ends close on exec (the child's dup2 copy stays open).
bool make_pipe(int ends[2]) {
    if (::pipe2(ends, O_CLOEXEC) != 0) return false;
    ::fcntl(ends[0], F_SETFL, O_NONBLOCK);
    return true;
}

// Writes a very long line to a temporary script, so that it runs as `SHELL FILE` instead of failing E2BIG.
std::string write_script(const std::string& command, std::string& error) {
    const char* dir = std::getenv("TMPDIR");
    std::string path = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/parmap-run-line.XXXXXX";
    const int fd = ::mkstemp(path.data());
    if (fd < 0) {
        error = "cannot write a temporary script for a long line: " + std::string(std::strerror(errno));
        return {};
    }
    const std::string text = command + "\n";
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!written) {
        ::unlink(path.c_str());
        error = "cannot write a temporary script for a long line";
        return {};
    }
    return path;
}

void close_pair(int ends[2]) {
    for (int i = 0; i < 2; ++i) {
        if (ends[i] >= 0) ::close(ends[i]);
    }
}

// Process group of its own, the runner's original signal mask, stdin /dev/null, stdout/stderr to the pipes.
int start(const spawn_request& request, char* const argv[], int out[2], int err[2], pid_t& pid) {
    posix_spawnattr_t attributes;
    posix_spawn_file_actions_t actions;
    posix_spawnattr_init(&attributes);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);
    posix_spawnattr_setsigmask(&attributes, request.child_mask);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    if (request.capture) {
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    }
    job_environment environment(request.line, request.slot, request.rank, request.attempt);
    const int status = ::posix_spawn(&pid, request.shell->c_str(), &actions, &attributes, argv, environment.envp());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    return status;
}

} // namespace

spawned_job spawn_job(const spawn_request& request, std::string& error) {
    spawned_job job;
    if (request.command->size() > max_argument) {
        job.script = write_script(*request.command, error);
        if (job.script.empty()) return job;
    }
    int out[2] = {-1, -1};
    int err[2] = {-1, -1};
    if (request.capture && (!make_pipe(out) || !make_pipe(err))) {
        error = std::string("cannot create a pipe: ") + std::strerror(errno);
        close_pair(out);
        close_pair(err);
        return job;
    }
    char dash_c[] = "-c";
    char* argv[4] = {const_cast<char*>(request.shell->c_str()), dash_c, const_cast<char*>(request.command->c_str()), nullptr};
    if (!job.script.empty()) argv[1] = job.script.data(), argv[2] = nullptr;
    const int status = start(request, argv, out, err, job.pid);
    if (request.capture) ::close(out[1]), ::close(err[1]);
    if (status != 0) {
        error = *request.shell + ": " + std::strerror(status);
        job.pid = -1;
        if (request.capture) ::close(out[0]), ::close(err[0]);
        return job;
    }
    job.out = out[0];
    job.err = err[0];
    return job;
}

} // namespace parmap_run
