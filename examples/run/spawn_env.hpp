// The environment of a job: the runner's own, less any inherited PARMAP_LINE/SLOT/RANK/ATTEMPT, plus the
// job's values. The inherited part is copied once; each job adds four strings.
#pragma once

#include <string>
#include <vector>

namespace parmap_run {

/// @brief An envp array for execve: the base environment and the job's variables.
class job_environment {
public:
    job_environment(unsigned long long line, unsigned slot, int rank, unsigned attempt);
    char* const* envp() { return pointers_.data(); }

private:
    std::string own_[4];
    std::vector<char*> pointers_;
};

} // namespace parmap_run
