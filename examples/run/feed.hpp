// Where the scheduler's lines come from and where its results go. Locally: the job file (with --lines and
// --resume applied) and the joblog + output writer. Under MPI, ranks other than 0 get lines from rank 0 and send
// their results to it (mpi_run.cpp); rank 0 serves its own scheduler and the other ranks from one feed and one
// sink, hence the locks.
#pragma once

#include "job.hpp"
#include "job_file.hpp"
#include "joblog.hpp"
#include "options.hpp"
#include "output.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <unordered_map>

namespace parmap_run {

/// @brief A line waiting to run: its first attempt, or a retry.
struct pending_job {
    job_line line;
    std::uint64_t sequence = 0;  ///< the order lines were handed out in (-k prints in this order)
    unsigned attempt = 1;
};

/// @brief The lines of the joblog that --resume / --resume-failed may skip.
using resume_log = std::unordered_map<std::uint64_t, logged_line>;

class job_feed {
public:
    virtual ~job_feed() = default;
    /// @brief The next line to run; false when there is none. Throws runner_error when the file cannot be read.
    virtual bool next(pending_job& job) = 0;
};

class result_sink {
public:
    virtual ~result_sink() = default;
    virtual bool captures() const = 0;
    virtual void begin(job_output& output, std::uint64_t line) = 0;
    virtual bool on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) = 0;
    virtual bool on_attempt(const joblog_row& row, std::string& error) = 0;
    virtual bool on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) = 0;
    /// @brief A line whose last attempt failed, with that attempt's status (for --print-failed and --halt).
    virtual void on_failed_line(std::uint64_t line, const std::string& text, int status) = 0;
};

/// @brief The job file's runnable lines, less those --lines leaves out and --resume skips.
class file_feed : public job_feed {
public:
    file_feed(job_reader& reader, const run_options& options, resume_log resume);
    bool next(pending_job& job) override;
    /// @brief Hand out nothing more once `stop()` says so (under MPI: --halt over every rank's failures).
    void stop_when(std::function<bool()> stop) { stop_ = std::move(stop); }

private:
    std::function<bool()> stop_;
    bool skip_for_resume(const job_line& line) const;
    std::mutex mutex_;
    job_reader& reader_;
    const run_options& options_;
    resume_log resume_;
    std::uint64_t sequence_ = 0;
};

/// @brief The joblog and the output writer.
class local_sink : public result_sink {
public:
    /// @brief `keep_failed`: remember the failed lines' text (for --print-failed).
    local_sink(joblog_writer& joblog, output_writer& output, bool keep_failed)
        : joblog_(joblog), output_(output), keep_failed_(keep_failed) {}
    bool captures() const override { return output_.captures(); }
    void begin(job_output& output, std::uint64_t line) override { output_.begin(output, line); }
    bool on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) override;
    bool on_attempt(const joblog_row& row, std::string& error) override;
    bool on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) override;
    void on_failed_line(std::uint64_t line, const std::string& text, int status) override;
    /// @brief Writes the failed lines, in line order, as a new job file (--print-failed FILE).
    void write_failed_lines(const std::string& path) const;
    /// @brief Judge `rule` over every line that ends here (under MPI: every rank's), as they end.
    void judge_halt(const halt_rule& rule) { halt_ = rule; }
    /// @brief -1 until the lines ended so far reach the --halt rule; then the status of the failed job that did.
    int halt_status();
    std::uint64_t failed_lines();

private:
    std::mutex mutex_;
    halt_rule halt_;
    int halt_status_ = -1;
    joblog_writer& joblog_;
    output_writer& output_;
    bool keep_failed_;
    std::map<std::uint64_t, std::string> failed_lines_;
    std::uint64_t ended_ = 0;
    std::uint64_t failed_ = 0;
};

} // namespace parmap_run
