// parmap-spawn-floor [--capture] P N COMMAND: the least a job runner can do, to measure runners against:
// posix_spawn of /bin/sh -c COMMAND, N times, P at a time, waiting with waitpid. No bookkeeping. With
// --capture, each job's stdout and stderr go to two pipes of their own, read (and dropped) to their end
// before the job is waited for: the least a runner that groups each job's output must do besides.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

struct job {
    pid_t pid;
    int out[2];  // read ends of its stdout and stderr pipes; -1 once at their end
};

// Starts one job; with capture, its stdout and stderr are new pipes whose read ends it returns.
bool start(char* const argv[], bool capture, job& started) {
    int pipes[2][2];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    for (int stream = 0; capture && stream < 2; ++stream) {
        if (::pipe2(pipes[stream], O_CLOEXEC) != 0) return false;
        posix_spawn_file_actions_adddup2(&actions, pipes[stream][1], STDOUT_FILENO + stream);
    }
    const bool ok = posix_spawn(&started.pid, argv[0], capture ? &actions : nullptr, nullptr, argv, environ) == 0;
    posix_spawn_file_actions_destroy(&actions);
    for (int stream = 0; stream < 2; ++stream) {
        started.out[stream] = capture ? pipes[stream][0] : -1;
        if (capture) ::close(pipes[stream][1]);
    }
    return ok;
}

// Reads the running jobs' pipes until one job's both reach their end; returns that job's index.
std::size_t drain_until_one_ends(std::vector<job>& running) {
    for (;;) {
        for (std::size_t k = 0; k < running.size(); ++k) {
            if (running[k].out[0] < 0 && running[k].out[1] < 0) return k;
        }
        std::vector<pollfd> fds;
        for (const job& j : running) {
            for (int fd : j.out) if (fd >= 0) fds.push_back({fd, POLLIN, 0});
        }
        ::poll(fds.data(), fds.size(), -1);
        for (const pollfd& ready : fds) {
            char buffer[1 << 16];
            if (ready.revents == 0 || ::read(ready.fd, buffer, sizeof buffer) > 0) continue;
            ::close(ready.fd);
            for (job& j : running) {
                for (int& fd : j.out) if (fd == ready.fd) fd = -1;
            }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    const bool capture = argc == 5 && std::strcmp(argv[1], "--capture") == 0;
    argv += capture ? 1 : 0;
    const long parallel = argc == 4 || capture ? std::strtol(argv[1], nullptr, 10) : 0;
    const long total = argc == 4 || capture ? std::strtol(argv[2], nullptr, 10) : -1;
    if (parallel < 1 || total < 0) {
        std::fprintf(stderr, "usage: parmap-spawn-floor [--capture] P N COMMAND  (P >= 1, N >= 0)\n");
        return 2;
    }
    char shell[] = "/bin/sh";
    char dash_c[] = "-c";
    char* child_argv[] = {shell, dash_c, argv[3], nullptr};
    std::vector<job> running;
    long started = 0;
    int failed = 0;
    while (started < total || !running.empty()) {
        while (static_cast<long>(running.size()) < parallel && started < total) {
            job j{};
            if (!start(child_argv, capture, j)) return 1;
            running.push_back(j);
            ++started;
        }
        int status = 0;
        pid_t pid = -1;
        if (capture) {
            const std::size_t k = drain_until_one_ends(running);
            pid = ::waitpid(running[k].pid, &status, 0);
        } else {
            pid = ::wait(&status);
        }
        const auto ended = std::find_if(running.begin(), running.end(), [pid](const job& j) { return j.pid == pid; });
        if (ended == running.end()) return 1;
        running.erase(ended);
        failed += status != 0;
    }
    return failed == 0 ? 0 : 1;
}
