// The feed and sink of a rank other than 0 (mpi_run.hpp), and the message primitives both sides use.
#pragma once

#include "feed.hpp"
#include "joblog.hpp"
#include "orders.hpp"

#include <mpi.h>
#include <string>

namespace parmap_run {

/// @brief The next message with `tag` from `source` (MPI_ANY_* allowed: then `tag` and `from` say which).
std::string receive_message(int source, int& tag, int& from);
/// @brief receive_message, if such a message has come; false at once otherwise.
bool try_receive(int source, int& tag, int& from, std::string& bytes);
void send_message(const std::string& bytes, int destination, int tag);

/// @brief Waiting for a message without a blocking probe (Open MPI's spins a core the jobs need): sleeps
/// from 20 us, doubling up to 1 ms while nothing comes.
class backoff {
public:
    void wait();
    void reset() { pause_ns_ = 20'000; }

private:
    long pause_ns_ = 20'000;
};

/// @brief A rank's side of the orders: rank 0's come as messages, this rank's signals go to it as messages.
class mpi_orders : public order_link {
public:
    bool take(stop_order& order) override;
    void report_signal(int signal_number, bool now) override;
};

/// @brief Lines from rank 0, one request each. While jobs are short (under ask_ahead_below seconds) the next
/// line is asked for as soon as one comes, so a rank does not wait a round trip between jobs; a long job
/// leaves no line waiting behind it (the last lines go to whichever rank is free).
class mpi_feed : public job_feed {
public:
    static constexpr double ask_ahead_below = 1.0;
    bool next(pending_job& job) override;
    /// @brief An attempt on this rank took `seconds`.
    void job_took(double seconds) { ask_ahead_ = seconds < ask_ahead_below; }
    /// @brief Receives the answer to a request still on its way (a line that stays unrun; --resume runs it).
    void drain();

private:
    bool asked_ = false;  ///< a request is on its way
    bool ask_ahead_ = false;
};

/// @brief Every attempt's row, and each job's whole output when its last attempt ends, sent to rank 0.
class mpi_sink : public result_sink {
public:
    explicit mpi_sink(mpi_feed& feed) : feed_(feed) {}
    bool captures() const override { return true; }
    void begin(job_output&, std::uint64_t) override {}
    bool on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) override;
    bool on_attempt(const joblog_row& row, std::string& error) override;
    bool on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) override;
    void on_failed_line(std::uint64_t line, const std::string& text, int status) override;

private:
    mpi_feed& feed_;
    std::string host_ = host_name();
};

} // namespace parmap_run
