// fork() after parmap has started its threads: the child must be able to call parmap and to exit (it
// used to hang for ever in exit(), waiting for the parent's pool threads, which a child does not have).
#include <parmap/parmap.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/wait.h>
#include <unistd.h>

namespace {

bool map_is_right(const parmap::policy<parmap::threads_backend>& policy) {
    const auto ys = parmap::parallel_map(policy, parmap::iota(200000), [](int i) { return 3 * i; });
    for (std::size_t i = 0; i < ys.size(); ++i) {
        if (ys[i] != 3 * static_cast<int>(i)) return false;
    }
    return true;
}

/// Forks; the child runs `child` and exits through exit() (static destructors and all) with its result.
/// Returns what became of the child: 0 when it exited 0 within 20 s.
template <class Child>
int fork_and_wait(const char* what, Child child) {
    const pid_t pid = fork();
    if (pid == 0) {
        alarm(20);  // a hang ends the child with SIGALRM, which the parent reports
        std::exit(child() ? 0 : 3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        std::printf("%s: the child exited 0\n", what);
        return 0;
    }
    std::printf("%s: the child %s %d\n", what, WIFSIGNALED(status) ? "died of signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    return 1;
}

} // namespace

int main() {
    parmap::thread_pool own(3);
    if (!map_is_right(parmap::threads) || !map_is_right(parmap::threads.on(own))) return 1;
    int failures = 0;
    failures += fork_and_wait("a child that never calls parmap", [] { return true; });
    failures += fork_and_wait("a child that maps on the default pool", [] { return map_is_right(parmap::threads) && map_is_right(parmap::threads); });
    failures += fork_and_wait("a child that maps on a pool made before the fork", [&] { return map_is_right(parmap::threads.on(own)); });
    failures += fork_and_wait("a child that makes its own pool", [] {
        parmap::thread_pool mine(2);
        return map_is_right(parmap::threads.on(mine));
    });
    failures += fork_and_wait("a grandchild", [] {
        return map_is_right(parmap::threads) && fork_and_wait("  its child", [] { return map_is_right(parmap::threads); }) == 0;
    });
    // The parent's pool still works after all that.
    if (!map_is_right(parmap::threads) || !map_is_right(parmap::threads.on(own))) return 1;
    return failures == 0 ? 0 : 1;
}
