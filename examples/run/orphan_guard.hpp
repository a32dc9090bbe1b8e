// No job outlives the runner, even a SIGKILLed one. A job's process group is told to a small guard process,
// forked once at start; when the runner dies its end of the pipe closes, and the guard sends TERM, then
// KILL, to every group still listed. Why not PR_SET_PDEATHSIG: it can't be set through posix_spawn (it would
// need vfork + prctl + exec of our own, or an exec wrapper costing a second exec per job), and it reaches
// only the job's first process, not the commands its shell starts. The guard costs one fork per run and two
// 4-byte writes per job.
#pragma once

#include <sys/types.h>

namespace parmap_run {

/// @brief The guard process and the runner's end of its pipe.
class orphan_guard {
public:
    /// @brief Forks the guard; call before anything else is opened. Without a guard (fork failed) jobs still run.
    void start(double grace_seconds);
    void add(pid_t process_group);
    void remove(pid_t process_group);

private:
    void send(int value);
    int fd_ = -1;
};

} // namespace parmap_run
