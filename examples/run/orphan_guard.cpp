#include "orphan_guard.hpp"

#include <initializer_list>
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace parmap_run {

namespace {

void kill_groups(const std::vector<std::int32_t>& groups, int signal_number) {
    for (const std::int32_t group : groups) ::kill(-group, signal_number);
}

bool any_alive(const std::vector<std::int32_t>& groups) {
    return std::any_of(groups.begin(), groups.end(), [](std::int32_t group) { return ::kill(-group, 0) == 0; });
}

// The guard's life: keep the list of live groups until the runner's end closes, then end those groups.
[[noreturn]] void guard_main(int fd, double grace_seconds) {
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(signal_number, SIG_IGN);
    std::vector<std::int32_t> groups;
    std::int32_t value = 0;
    while (::read(fd, &value, sizeof value) == static_cast<ssize_t>(sizeof value)) {
        if (value > 0) groups.push_back(value);
        else groups.erase(std::remove(groups.begin(), groups.end(), -value), groups.end());
    }
    if (!groups.empty()) {
        kill_groups(groups, SIGTERM);
        for (double waited = 0; waited < grace_seconds && any_alive(groups); waited += 0.05) {
            const timespec pause{0, 50'000'000};
            ::nanosleep(&pause, nullptr);
        }
        kill_groups(groups, SIGKILL);
    }
    ::_exit(0);
}

} // namespace

void orphan_guard::start(double grace_seconds) {
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) return;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(ends[1]);
        guard_main(ends[0], grace_seconds);
    }
    ::close(ends[0]);
    if (pid < 0) {
        ::close(ends[1]);
        return;
    }
    fd_ = ends[1];
}

void orphan_guard::send(int value) {
    if (fd_ < 0) return;
    const std::int32_t message = value;
    if (::write(fd_, &message, sizeof message) < 0) {
        ::close(fd_);  // the guard is gone: go on without it
        fd_ = -1;
    }
}

void orphan_guard::add(pid_t process_group) { send(static_cast<int>(process_group)); }
void orphan_guard::remove(pid_t process_group) { send(-static_cast<int>(process_group)); }

} // namespace parmap_run
