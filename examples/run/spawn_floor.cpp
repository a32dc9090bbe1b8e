// parmap-spawn-floor P N COMMAND: the least a job runner can do, to measure runners against: posix_spawn of
// /bin/sh -c COMMAND, N times, P at a time, waiting with waitpid. No output capture, no bookkeeping.
#include <cstdio>
#include <cstdlib>
#include <spawn.h>
#include <sys/wait.h>

extern char** environ;

int main(int argc, char** argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: parmap-spawn-floor P N COMMAND\n");
        return 2;
    }
    const long parallel = std::strtol(argv[1], nullptr, 10);
    const long total = std::strtol(argv[2], nullptr, 10);
    char shell[] = "/bin/sh";
    char dash_c[] = "-c";
    char* child_argv[] = {shell, dash_c, argv[3], nullptr};
    long started = 0;
    long running = 0;
    int failed = 0;
    while (started < total || running > 0) {
        while (running < parallel && started < total) {
            pid_t pid = 0;
            if (posix_spawn(&pid, shell, nullptr, nullptr, child_argv, environ) != 0) return 1;
            ++started;
            ++running;
        }
        int status = 0;
        if (wait(&status) > 0) {
            --running;
            failed += status != 0;
        }
    }
    return failed == 0 ? 0 : 1;
}
