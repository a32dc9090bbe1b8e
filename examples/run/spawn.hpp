// Starting one job: posix_spawn of `SHELL -c LINE` in its own process group, stdin /dev/null, and
// PARMAP_LINE, PARMAP_SLOT, PARMAP_RANK, PARMAP_ATTEMPT in its environment.
#pragma once

#include <csignal>
#include <cstdint>
#include <string>
#include <sys/types.h>

namespace parmap_run {

/// @brief What a job is started with.
struct spawn_request {
    const std::string* shell = nullptr;
    const std::string* command = nullptr;
    std::uint64_t line = 0;
    unsigned slot = 0;  ///< 1-based, as GNU parallel's {%}
    int rank = 0;
    unsigned attempt = 1;
    bool capture = true;  ///< stdout and stderr through pipes (false: the runner's own)
    const sigset_t* child_mask = nullptr;  ///< the signal mask the runner started with
};

/// @brief A started job. `out`/`err` are the read ends of its pipes (non-blocking), -1 when not captured;
/// `script` is the temporary file a very long line runs from (to delete when the job ends).
struct spawned_job {
    pid_t pid = -1;
    int out = -1;
    int err = -1;
    std::string script;
};

/// @brief Starts the job. A line longer than one argument may be (~128 KiB) runs from a temporary script.
/// On failure returns pid -1 and sets `error` (the job then counts as failed with status 127).
spawned_job spawn_job(const spawn_request& request, std::string& error);

} // namespace parmap_run
