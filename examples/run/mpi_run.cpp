#include "mpi_run.hpp"

#include "mpi_rank.hpp"
#include "mpi_wire.hpp"
#include "scheduler.hpp"
#include "signals.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace parmap_run {

namespace {

void combine(run_summary& all, const run_summary& one) {
    all.lines += one.lines;
    all.failed += one.failed;
    all.stop_signal = std::max(all.stop_signal, one.stop_signal);
    all.halt_status = std::max(all.halt_status, one.halt_status);
    all.runner_failed = all.runner_failed || one.runner_failed;
}

// Rank 0's side of the orders: its own scheduler (on the second thread) reports signals here and takes the
// orders from here; the line server passes them on.
class rank0_orders : public order_link {
public:
    bool take(stop_order& order) override { return pop(to_scheduler_, order); }
    void report_signal(int signal_number, bool now) override { push(from_scheduler_, {stop_order::signal, signal_number, now}); }
    void give(const stop_order& order) { push(to_scheduler_, order); }
    bool take_report(stop_order& order) { return pop(from_scheduler_, order); }

private:
    void push(std::deque<stop_order>& queue, const stop_order& order) {
        const std::lock_guard<std::mutex> lock(mutex_);
        queue.push_back(order);
    }
    bool pop(std::deque<stop_order>& queue, stop_order& order) {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (queue.empty()) return false;
        order = queue.front();
        queue.pop_front();
        return true;
    }
    std::mutex mutex_;
    std::deque<stop_order> to_scheduler_;
    std::deque<stop_order> from_scheduler_;
};

// Rank 0's side of the conversation: answers requests for lines, writes rows and outputs, passes stop signals
// on and judges --halt over every rank's lines, until every rank, its own scheduler included, is done.
class line_server {
public:
    line_server(job_feed& feed, local_sink& sink, rank0_orders& orders, const halt_rule& halt, int ranks)
        : feed_(feed), sink_(sink), orders_(orders), halt_(halt), done_(static_cast<std::size_t>(ranks), false) {}

    void serve(const std::atomic<bool>& local_done, run_summary& all) {
        backoff pause;
        for (int working = static_cast<int>(done_.size()) - 1; working > 0 || !local_done;) {
            int tag = MPI_ANY_TAG;
            int from = 0;
            std::string bytes;
            if (try_receive(MPI_ANY_SOURCE, tag, from, bytes)) {
                working -= handle(tag, from, bytes, all) ? 1 : 0;
                pause.reset();
            } else {
                pause.wait();
            }
            for (stop_order order; orders_.take_report(order);) order_all(order, 0);
            check_halt();
        }
    }

private:
    // Returns whether rank `from` said it is done.
    bool handle(int tag, int from, const std::string& bytes, run_summary& all) {
        if (tag == tag_request) hand_out(from, all);
        else if (tag == tag_attempt) write_row(bytes, all);
        else if (tag == tag_end) write_output(bytes, all);
        else if (tag == tag_failed) failed_line(bytes);
        else if (tag == tag_signal) order_all(wire_reader{bytes}.get<stop_order>(), from);
        else if (tag == tag_done) {
            combine(all, wire_reader{bytes}.get<run_summary>());
            done_[static_cast<std::size_t>(from)] = true;
            return true;
        }
        return false;
    }

    // Every rank but `origin` (which has acted on it already) and those done gets `order`.
    void order_all(const stop_order& order, int origin) {
        if (origin != 0) orders_.give(order);
        wire_writer out;
        out.put(order);
        for (std::size_t rank = 1; rank < done_.size(); ++rank) {
            if (!done_[rank] && static_cast<int>(rank) != origin) send_message(out.bytes, static_cast<int>(rank), tag_stop);
        }
    }

    void check_halt() {
        if (halted_) return;
        const int status = sink_.halt_status();
        if (status < 0) return;
        halted_ = true;
        std::fprintf(stderr, "parmap-run: --halt: %llu failed over every rank: %s\n",
                     static_cast<unsigned long long>(sink_.failed_lines()),
                     halt_.now ? "stopping the running jobs on every rank" : "waiting for the running jobs, starting no more");
        order_all(stop_order{stop_order::halt, status, halt_.now}, -1);
    }

    void hand_out(int rank, run_summary& all) {
        pending_job job;
        bool found = false;
        try {
            found = !all.runner_failed && feed_.next(job);
        } catch (const runner_error& error) {
            std::fprintf(stderr, "parmap-run: %s: no new jobs\n", error.what());
            all.runner_failed = true;
        }
        wire_writer out;
        if (found) {
            out.put(job.line.number);
            out.put(job.sequence);
            out.put_string(job.line.text);
        }
        send_message(out.bytes, rank, tag_line);
    }

    void write_row(const std::string& bytes, run_summary& all) {
        wire_reader in{bytes};
        joblog_row row;
        row.line = in.get<std::uint64_t>();
        row.rank = in.get<int>();
        row.result = in.get<attempt_result>();
        const std::string host = in.get_string();
        const std::string command = in.get_string();
        row.host = &host;
        row.command = &command;
        std::string error;
        if (!sink_.on_attempt(row, error)) report(error, all);
    }

    void write_output(const std::string& bytes, run_summary& all) {
        wire_reader in{bytes};
        const std::uint64_t sequence = in.get<std::uint64_t>();
        const std::uint64_t line = in.get<std::uint64_t>();
        job_output output;
        sink_.begin(output, line);
        std::string error;
        for (captured_stream& stream : output.streams) {
            const std::string text = in.get_string();
            if (!stream.append(text.data(), text.size(), error)) report(error, all);
        }
        if (!sink_.on_end(std::move(output), sequence, line, error)) report(error, all);
    }

    void failed_line(const std::string& bytes) {
        wire_reader in{bytes};
        const std::uint64_t line = in.get<std::uint64_t>();
        const int status = in.get<int>();
        sink_.on_failed_line(line, in.get_string(), status);
    }

    static void report(const std::string& error, run_summary& all) {
        if (!all.runner_failed) std::fprintf(stderr, "parmap-run: %s: no new jobs\n", error.c_str());
        all.runner_failed = true;
    }

    job_feed& feed_;
    local_sink& sink_;
    rank0_orders& orders_;
    const halt_rule& halt_;
    std::vector<bool> done_;  ///< by rank: said it is done (rank 0's own scheduler is told by local_done)
    bool halted_ = false;
};

int run_rank0(const run_options& options, orphan_guard& guard, int ranks) {
    resume_log resume;
    if ((options.resume || options.resume_failed) && !options.joblog.empty()) resume = read_joblog(options.joblog);
    job_reader reader(options.job_file);
    auto joblog = options.joblog.empty() ? std::make_unique<joblog_writer>() : std::make_unique<joblog_writer>(options.joblog);
    run_options grouped = options;  // other ranks' output comes in whole-job blocks: line mode would mix them with ours
    if (grouped.output.mode == output_mode::line) grouped.output.mode = output_mode::group;
    output_writer output(grouped.output);
    file_feed feed(reader, options, std::move(resume));
    local_sink sink(*joblog, output, !options.print_failed.empty());
    sink.judge_halt(options.halt);  // over every rank's lines: rank 0 orders the stop
    feed.stop_when([&sink] { return sink.halt_status() >= 0; });
    rank0_orders orders;
    run_summary mine;
    std::atomic<bool> local_done{false};
    std::thread local([&] {
        scheduler own(grouped, feed, sink, guard);
        own.follow(orders);
        mine = own.run();
        local_done = true;
    });
    run_summary all;
    line_server(feed, sink, orders, options.halt, ranks).serve(local_done, all);
    local.join();
    combine(all, mine);
    // The rule was judged here: its status stands even where every scheduler ended before the order reached it.
    all.halt_status = std::max(all.halt_status, sink.halt_status());
    sink.write_failed_lines(options.print_failed);
    if (all.lines == 0 && !all.runner_failed && all.stop_signal == 0) std::fprintf(stderr, "parmap-run: 0 jobs\n");
    return exit_status(all);
}

} // namespace

int run_with_mpi(run_options options, orphan_guard& guard, int& argc, char**& argv) {
    int provided = 0;
    MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
    int rank = 0;
    int ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    options.rank = rank;
    int status = 0;
    if (rank == 0) {
        try {
            status = run_rank0(options, guard, ranks);
        } catch (const runner_error& error) {  // the other ranks wait for lines: end them all
            std::fprintf(stderr, "parmap-run: %s\n", error.what());
            MPI_Abort(MPI_COMM_WORLD, 255);
        }
    } else {
        mpi_feed feed;
        mpi_sink sink(feed);
        mpi_orders orders;
        scheduler own(options, feed, sink, guard);
        own.follow(orders);
        run_summary mine = own.run();
        feed.drain();
        wire_writer out;
        out.put(mine);
        send_message(out.bytes, 0, tag_done);
        mine.failed = 0;  // rank 0 reports the failed lines; a signal or --halt every rank reports, so mpirun does
        status = exit_status(mine);
    }
    MPI_Finalize();
    return status;
}

} // namespace parmap_run
