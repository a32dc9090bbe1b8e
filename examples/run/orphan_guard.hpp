// No job outlives the runner, even a SIGKILLed one. A small guard process, forked once at start, shares a
// table with the runner (one entry per slot: the process group of the job running there, 0 when none) and
// blocks on a pipe whose only writer is the runner. When the runner dies, that pipe reaches end of file and
// the guard sends TERM, then KILL, to every group still in the table. Why not PR_SET_PDEATHSIG: it can't be set
// through posix_spawn (it would need vfork + prctl + exec of our own, or an exec wrapper costing a second exec
// per job), and it reaches only the job's first process, not the commands its shell starts. The guard costs
// one fork per run and nothing per job (two stores to the table): telling it through its pipe instead woke it
// twice per job, which cost 5-10% of a run of short jobs on two cores.
#pragma once

#include <atomic>
#include <cstdint>
#include <sys/types.h>

namespace parmap_run {

/// @brief The guard process, the table it shares with the runner, and the runner's end of its pipe.
class orphan_guard {
public:
    orphan_guard() = default;
    orphan_guard(const orphan_guard&) = delete;
    orphan_guard& operator=(const orphan_guard&) = delete;
    ~orphan_guard();

    /// @brief Forks the guard for a runner of `slots` slots; call before anything else is opened. Without a
    /// guard (fork or the shared table failed) jobs still run.
    void start(double grace_seconds, unsigned slots);
    /// @brief The job in `slot` runs in `process_group` (0: none any more).
    void watch(unsigned slot, pid_t process_group);

private:
    std::atomic<std::int32_t>* groups_ = nullptr;
    unsigned slots_ = 0;
    int fd_ = -1;
};

} // namespace parmap_run
