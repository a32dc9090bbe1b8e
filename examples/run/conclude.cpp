// What happens when an attempt ends: its joblog row, a retry or the line's final result (output, counts,
// --halt), and the exit status.
#include "scheduler.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <unistd.h>

namespace parmap_run {

void scheduler::conclude(running_job& job) {
    const attempt_result& result = job.result;
    std::string error;
    if (!sink_.on_attempt(joblog_row{job.job.line.number, options_.rank, result, &job.job.line.text}, error)) fail_runner(error);
    const bool retry = !result.ok() && job.job.attempt <= options_.retries && job.job.line.problem.empty() &&
                       result.exit_code != 127 && !stopping_;
    if (retry) {  // this attempt's output is dropped: the line's output is its last attempt's
        pending_job again = std::move(job.job);
        ++again.attempt;
        retries_.push_back(std::move(again));
        return;
    }
    if (!sink_.on_end(std::move(job.output), job.job.sequence, job.job.line.number, error)) fail_runner(error);
    count_final(job);
}

void scheduler::count_final(const running_job& job) {
    ++done_;
    if (job.result.ok()) return;
    ++summary_.failed;
    sink_.on_failed_line(job.job.line.number, job.job.line.text, job.result.status());
    check_halt(job.result);
}

void scheduler::check_halt(const attempt_result& result) {
    const halt_rule& rule = options_.halt;
    const std::uint64_t failed = summary_.failed;
    if (summary_.halt_status >= 0 || link_ != nullptr || !rule.reached(failed, done_)) return;
    std::fprintf(stderr, "parmap-run: --halt: %llu failed: %s\n", static_cast<unsigned long long>(failed),
                 rule.now ? "stopping the running jobs" : "waiting for the running jobs, starting no more");
    halt(result.status(), rule.now);
}

void scheduler::halt(int status, bool now) {
    if (summary_.halt_status >= 0) return;
    summary_.halt_status = status;
    stopping_ = true;
    if (now) stop_all(SIGTERM, options_.grace);
}

int exit_status(const run_summary& summary) {
    if (summary.runner_failed) return 255;
    if (summary.stop_signal != 0) return 128 + summary.stop_signal;
    if (summary.halt_status >= 0) return summary.halt_status;
    return static_cast<int>(std::min<std::uint64_t>(summary.failed, 101));
}

void scheduler::show_progress(bool last) {
    const double now = monotonic_seconds();
    if (!last && now < next_progress_) return;
    next_progress_ = now + 0.5;
    const std::uint64_t lines = summary_.lines;
    const std::uint64_t expected = end_of_file_ ? lines : std::max(options_.expected_lines, lines);
    const std::string total = expected > 0 ? std::to_string(expected) : std::string("?");
    std::string eta = "?";
    if (expected > 0 && done_ > 0) {
        eta = std::to_string(static_cast<long long>((now - started_at_) / static_cast<double>(done_) *
                                                    static_cast<double>(expected - done_))) + " s";
    }
    std::fprintf(stderr, "\rparmap-run: %llu done, %llu failed, %zu running, %s total, ETA %s\x1b[K%s",
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(summary_.failed), running_, total.c_str(),
                 eta.c_str(), last ? "\n" : "");
}

} // namespace parmap_run
