#include "spawn_env.hpp"

#include <initializer_list>
#include <cstring>

extern char** environ;

namespace parmap_run {

namespace {

bool is_job_variable(const char* entry) {
    for (const char* name : {"PARMAP_LINE=", "PARMAP_SLOT=", "PARMAP_RANK=", "PARMAP_ATTEMPT="}) {
        if (std::strncmp(entry, name, std::strlen(name)) == 0) return true;
    }
    return false;
}

// The runner's environment without the job variables, computed once (the environment does not change).
const std::vector<char*>& base_environment() {
    static const std::vector<char*> base = [] {
        std::vector<char*> entries;
        for (char** entry = environ; *entry != nullptr; ++entry) {
            if (!is_job_variable(*entry)) entries.push_back(*entry);
        }
        return entries;
    }();
    return base;
}

} // namespace

job_environment::job_environment(unsigned long long line, unsigned slot, int rank, unsigned attempt) {
    own_[0] = "PARMAP_LINE=" + std::to_string(line);
    own_[1] = "PARMAP_SLOT=" + std::to_string(slot);
    own_[2] = "PARMAP_RANK=" + std::to_string(rank);
    own_[3] = "PARMAP_ATTEMPT=" + std::to_string(attempt);
    const std::vector<char*>& base = base_environment();
    pointers_.reserve(base.size() + 5);
    pointers_.assign(base.begin(), base.end());
    for (std::string& entry : own_) pointers_.push_back(entry.data());
    pointers_.push_back(nullptr);
}

} // namespace parmap_run
