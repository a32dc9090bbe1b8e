#include "slurm.hpp"

#include "job_file.hpp"
#include "joblog.hpp"
#include "scheduler.hpp"
#include "spawn.hpp"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <sstream>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

namespace parmap_run {

namespace {

// The cluster's MaxArraySize (scontrol show config), or Slurm's default where scontrol is not there or does
// not answer within 10 s.
unsigned long long max_array_size() {
    std::FILE* pipe = ::popen("timeout 10 scontrol show config 2>/dev/null", "r");
    unsigned long long size = 1001;
    if (pipe == nullptr) return size;
    char row[512];
    while (std::fgets(row, sizeof row, pipe) != nullptr) {
        unsigned long long value = 0;
        if (std::sscanf(row, " MaxArraySize = %llu", &value) == 1) size = value;
    }
    ::pclose(pipe);
    return size;
}

// The runnable lines as --array ranges: 0-3,5,7-9.
line_ranges runnable_lines(const run_options& options, unsigned long long& last) {
    job_reader reader(options.job_file);
    line_ranges lines;
    while (const std::optional<job_line> line = reader.next()) {
        if (!options.lines.contains(line->number)) continue;
        last = line->number;
        if (!lines.ranges.empty() && lines.ranges.back().second + 1 == line->number) lines.ranges.back().second = line->number;
        else lines.ranges.emplace_back(line->number, line->number);
    }
    return lines;
}

std::string absolute(const std::string& path) {
    char resolved[PATH_MAX];
    return ::realpath(path.c_str(), resolved) != nullptr ? std::string(resolved) : path;
}

std::string self_path() {
    char path[PATH_MAX] = {};
    const ssize_t length = ::readlink("/proc/self/exe", path, sizeof path - 1);
    return length > 0 ? std::string(path, static_cast<std::size_t>(length)) : std::string("parmap-run");
}

std::string local_time(double seconds) {
    const std::time_t whole = static_cast<std::time_t>(seconds);
    std::tm parts {};
    ::localtime_r(&whole, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &parts);
    return text;
}

void append_status(const std::string& path, const std::string& row) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw runner_error(path + ": " + std::strerror(errno));
    ::flock(fd, LOCK_EX);
    const bool ok = ::write(fd, row.data(), row.size()) == static_cast<ssize_t>(row.size());
    ::flock(fd, LOCK_UN);
    ::close(fd);
    if (!ok) throw runner_error(path + ": " + std::strerror(errno));
}

std::optional<job_line> find_line(const std::string& path, unsigned long long wanted) {
    job_reader reader(path);
    while (std::optional<job_line> line = reader.next()) {
        if (line->number == wanted) return line;
        if (line->number > wanted) break;
    }
    return std::nullopt;
}

} // namespace

int print_sbatch_script(const command_line& line) {
    unsigned long long last = 0;
    const line_ranges lines = runnable_lines(line.run, last);
    if (lines.ranges.empty()) {
        std::fprintf(stderr, "parmap-run: 0 jobs: no script\n");
        return 0;
    }
    const unsigned long long max_size = max_array_size();
    if (last >= max_size) {
        throw runner_error(line.run.job_file + ": line " + std::to_string(last) + " is past the cluster's MaxArraySize (" +
                           std::to_string(max_size) + "): split the file, or run it with --lines");
    }
    std::printf("#!/bin/bash\n#SBATCH --array=%s", format_line_ranges(lines).c_str());
    if (line.jobs_given) std::printf("%%%zu", line.run.jobs);
    std::printf("\n#SBATCH --job-name=parmap-run\n#SBATCH --output=parmap-run-%%A_%%a.out\n");
    std::istringstream extra(line.sbatch_options);
    for (std::string option; extra >> option;) std::printf("#SBATCH %s\n", option.c_str());
    std::printf("# made by parmap-run --sbatch: one array task per line of the job file; statuses in job_<jobid>_status.tsv\n");
    std::printf("exec '%s' --array-task --status-dir '%s' --shell '%s' '%s'\n", self_path().c_str(),
                absolute(line.status_dir).c_str(), line.run.shell.c_str(), absolute(line.run.job_file).c_str());
    return 0;
}

int run_array_task(const command_line& line) {
    const char* task = std::getenv("SLURM_ARRAY_TASK_ID");
    const char* job = std::getenv("SLURM_ARRAY_JOB_ID");
    if (task == nullptr || job == nullptr) throw runner_error("--array-task: SLURM_ARRAY_TASK_ID or SLURM_ARRAY_JOB_ID is not set");
    const unsigned long long number = std::strtoull(task, nullptr, 10);
    const std::optional<job_line> text = find_line(line.run.job_file, number);
    if (!text) throw runner_error(line.run.job_file + ": line " + std::string(task) + " is not a job");
    sigset_t mask;
    ::sigprocmask(SIG_SETMASK, nullptr, &mask);
    const spawn_request request{&line.run.shell, &text->text, number, 1, 0, 1, false, &mask};
    const double start = wall_seconds();
    std::string error;
    const spawned_job child = spawn_job(request, error);
    int status = 0;
    if (child.pid > 0) ::waitpid(child.pid, &status, 0);
    if (!child.script.empty()) ::unlink(child.script.c_str());
    const int code = child.pid < 0 ? 127 : WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    const double end = wall_seconds();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.2f", end - start);
    append_status(line.status_dir + "/job_" + job + "_status.tsv", std::string(task) + "\t" + std::to_string(code) + "\t" +
                  host_name() + "\t" + local_time(start) + "\t" + local_time(end) + "\t" + elapsed + "\t" + text->text + "\n");
    return code;
}

} // namespace parmap_run
