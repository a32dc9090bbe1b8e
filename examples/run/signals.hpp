// The runner's signals, read from a signalfd in its event loop (no handler, so nothing runs asynchronously):
// SIGCHLD, and SIGINT, SIGTERM, SIGHUP unless they were ignored at start (then they stay ignored, for the
// runner and its jobs). Jobs start with the signal mask the runner had before.
#pragma once

#include <csignal>

namespace parmap_run {

class signal_watch {
public:
    signal_watch();
    ~signal_watch();
    signal_watch(const signal_watch&) = delete;
    signal_watch& operator=(const signal_watch&) = delete;

    int fd() const { return fd_; }
    /// @brief The signals that arrived since the last call: SIGCHLD is reported as `child`, the last stop signal returned.
    int drain(bool& child);
    const sigset_t& child_mask() const { return original_; }

private:
    int fd_ = -1;
    sigset_t original_;
};

} // namespace parmap_run
