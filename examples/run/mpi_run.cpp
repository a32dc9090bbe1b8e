#include "mpi_run.hpp"

#include "mpi_rank.hpp"
#include "mpi_wire.hpp"
#include "scheduler.hpp"
#include "signals.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

namespace parmap_run {

namespace {

void combine(run_summary& all, const run_summary& one) {
    all.lines += one.lines;
    all.failed += one.failed;
    all.stop_signal = std::max(all.stop_signal, one.stop_signal);
    all.halt_status = std::max(all.halt_status, one.halt_status);
    all.runner_failed = all.runner_failed || one.runner_failed;
}

// Rank 0's side of the conversation: answers requests for lines, writes rows and outputs, until every other
// rank has said it is done.
class line_server {
public:
    line_server(job_feed& feed, result_sink& sink) : feed_(feed), sink_(sink) {}

    void serve(int ranks, run_summary& all) {
        for (int working = ranks - 1; working > 0;) {
            int tag = MPI_ANY_TAG;
            int from = 0;
            const std::string bytes = receive_message(MPI_ANY_SOURCE, tag, from);
            if (tag == tag_request) hand_out(from, all);
            else if (tag == tag_attempt) write_row(bytes, all);
            else if (tag == tag_end) write_output(bytes, all);
            else if (tag == tag_failed) failed_line(bytes);
            else if (tag == tag_done) {
                combine(all, wire_reader{bytes}.get<run_summary>());
                --working;
            }
        }
    }

private:
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
        sink_.on_failed_line(line, in.get_string());
    }

    static void report(const std::string& error, run_summary& all) {
        if (!all.runner_failed) std::fprintf(stderr, "parmap-run: %s: no new jobs\n", error.c_str());
        all.runner_failed = true;
    }

    job_feed& feed_;
    result_sink& sink_;
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
    feed.stop_when([&sink, &options] { return sink.reaches(options.halt); });  // --halt over every rank's lines
    run_summary mine;
    std::thread local([&] { mine = scheduler(grouped, feed, sink, guard).run(); });
    run_summary all;
    line_server(feed, sink).serve(ranks, all);
    local.join();
    combine(all, mine);
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
        mpi_sink sink;
        wire_writer out;
        out.put(scheduler(options, feed, sink, guard).run());
        send_message(out.bytes, 0, tag_done);
    }
    MPI_Finalize();
    return status;
}

} // namespace parmap_run
