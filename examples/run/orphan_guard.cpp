#include "orphan_guard.hpp"

#include <initializer_list>
#include <csignal>
#include <ctime>
#include <fcntl.h>
#include <new>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace parmap_run {

namespace {

static_assert(std::atomic<std::int32_t>::is_always_lock_free,
              "the table is shared between processes: it needs lock-free atomics");

void kill_groups(const std::vector<std::int32_t>& groups, int signal_number) {
    for (const std::int32_t group : groups) ::kill(-group, signal_number);
}

bool any_alive(const std::vector<std::int32_t>& groups) {
    for (const std::int32_t group : groups) {
        if (::kill(-group, 0) == 0) return true;
    }
    return false;
}

// The guard's life: wait for the runner's end of the pipe to close, then end the groups still in the table.
[[noreturn]] void guard_main(int fd, const std::atomic<std::int32_t>* table, unsigned slots, double grace_seconds) {
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(signal_number, SIG_IGN);
    char byte = 0;
    while (::read(fd, &byte, 1) != 0) {  // the runner never writes: this returns at its end (EINTR aside)
    }
    std::vector<std::int32_t> groups;
    for (unsigned slot = 0; slot < slots; ++slot) {
        if (const std::int32_t group = table[slot].load(); group > 0) groups.push_back(group);
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

orphan_guard::~orphan_guard() {
    if (fd_ < 0) return;
    ::close(fd_);  // the guard ends (its copy of the table stays mapped in it until it exits)
    ::munmap(groups_, slots_ * sizeof(std::atomic<std::int32_t>));
}

void orphan_guard::start(double grace_seconds, unsigned slots) {
    const std::size_t bytes = slots * sizeof(std::atomic<std::int32_t>);
    void* shared = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return;
    auto* table = static_cast<std::atomic<std::int32_t>*>(shared);
    for (unsigned slot = 0; slot < slots; ++slot) new (&table[slot]) std::atomic<std::int32_t>(0);
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0) {
        ::munmap(shared, bytes);
        return;
    }
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(ends[1]);
        guard_main(ends[0], table, slots, grace_seconds);
    }
    ::close(ends[0]);
    if (pid < 0) {
        ::close(ends[1]);
        ::munmap(shared, bytes);
        return;
    }
    fd_ = ends[1];
    groups_ = table;
    slots_ = slots;
}

void orphan_guard::watch(unsigned slot, pid_t process_group) {
    if (groups_ != nullptr && slot < slots_) groups_[slot].store(static_cast<std::int32_t>(process_group));
}

} // namespace parmap_run
