// The local runner: one thread, one poll loop over the running jobs' pipes, a signalfd (SIGCHLD and the stop
// signals) and the nearest deadline. Up to --jobs children at once; a slot is refilled from the retry queue
// or the next line of the job file as soon as a job ends, so the file is read only as fast as it is run.
#pragma once

#include "feed.hpp"
#include "orders.hpp"
#include "orphan_guard.hpp"
#include "signals.hpp"

#include <deque>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

namespace parmap_run {

/// @brief A started attempt.
struct running_job {
    pending_job job;
    unsigned slot = 0;
    pid_t pid = -1;
    int fds[2] = {-1, -1};
    job_output output;
    attempt_result result;
    bool exited = false;
    double deadline = 0;  ///< monotonic seconds: --timeout; 0 when none
    double kill_at = 0;   ///< monotonic seconds: SIGKILL after the grace; 0 when not asked to stop
    std::string script;
};

/// @brief How a run ended, for the exit status (and, under MPI, to combine the ranks' into one).
struct run_summary {
    std::uint64_t lines = 0;   ///< lines taken from the feed
    std::uint64_t failed = 0;  ///< lines whose last attempt failed
    int stop_signal = 0;
    int halt_status = -1;
    bool runner_failed = false;
};

/// @brief GNU parallel's exit status for a summary.
int exit_status(const run_summary& summary);

class scheduler {
public:
    scheduler(const run_options& options, job_feed& feed, result_sink& sink, orphan_guard& guard);
    /// @brief Runs every line the feed gives; returns how it went.
    run_summary run();
    /// @brief Under MPI: stop on rank 0's orders and report stop signals to it; --halt is then rank 0's to
    /// judge, over every rank's failures.
    void follow(order_link& link) { link_ = &link; }

private:
    bool next_pending(pending_job& job);
    void fill_slots();
    void start(pending_job&& job, unsigned slot);
    void poll_once();
    void read_output(running_job& job, int stream);
    void reap_children();
    void check_timers();
    void finish_done_jobs();
    void conclude(running_job& job);
    void count_final(const running_job& job);
    void check_halt(const attempt_result& result);
    void halt(int status, bool now);
    void follow_orders();
    void stop_all(int signal_number, double grace);
    void on_stop_signal(int signal_number);
    void stop_for_signal(int signal_number, bool now);
    void fail_runner(const std::string& message);
    void show_progress(bool last);
    double poll_timeout_ms() const;

    const run_options& options_;
    job_feed& feed_;
    result_sink& sink_;
    orphan_guard& guard_;
    order_link* link_ = nullptr;
    signal_watch signals_;
    std::vector<std::unique_ptr<running_job>> slots_;
    std::size_t running_ = 0;
    std::deque<pending_job> retries_;
    bool end_of_file_ = false;
    bool stopping_ = false;
    std::uint64_t done_ = 0;
    run_summary summary_;
    double started_at_ = 0;
    double next_progress_ = 0;
};

/// @brief Seconds of a monotonic clock, and of the wall clock (for the joblog).
double monotonic_seconds();
double wall_seconds();

} // namespace parmap_run
