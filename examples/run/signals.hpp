// The runner's signals, read from a signalfd in its event loop (no handler, so nothing runs asynchronously):
// SIGCHLD, and SIGINT, SIGTERM, SIGHUP unless they were ignored at start (then they stay ignored, for the
// runner and its jobs). Jobs start with the signal mask the runner had before.
#pragma once

#include <csignal>

namespace parmap_run {

/// @brief Blocks the runner's signals in the calling thread (threads made afterwards inherit that); the first
/// call records the mask the process had, which jobs start with. Call it before starting threads (MPI's).
const sigset_t& block_runner_signals();

class signal_watch {
public:
    signal_watch();
    ~signal_watch();
    signal_watch(const signal_watch&) = delete;
    signal_watch& operator=(const signal_watch&) = delete;

    int fd() const { return fd_; }
    /// @brief The signals that arrived since the last call: SIGCHLD is reported as `child`, the last stop signal returned.
    int drain(bool& child);
    const sigset_t& child_mask() const { return block_runner_signals(); }

private:
    int fd_ = -1;
};

} // namespace parmap_run
