// The ranks other than 0: lines from rank 0 on request, attempt rows and whole outputs sent back to it.
#include "mpi_rank.hpp"

#include "mpi_wire.hpp"

#include <algorithm>
#include <ctime>

namespace parmap_run {

void backoff::wait() {
    const timespec pause{0, pause_ns_};
    ::nanosleep(&pause, nullptr);
    pause_ns_ = std::min<long>(pause_ns_ * 2, 1'000'000);
}

bool try_receive(int source, int& tag, int& from, std::string& bytes) {
    MPI_Status status;
    int ready = 0;
    MPI_Iprobe(source, tag, MPI_COMM_WORLD, &ready, &status);
    if (!ready) return false;
    int size = 0;
    MPI_Get_count(&status, MPI_CHAR, &size);
    bytes.assign(static_cast<std::size_t>(size), '\0');
    MPI_Recv(bytes.data(), size, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    from = status.MPI_SOURCE;
    tag = status.MPI_TAG;
    return true;
}

std::string receive_message(int source, int& tag, int& from) {
    std::string bytes;
    for (backoff pause; !try_receive(source, tag, from, bytes);) pause.wait();
    return bytes;
}

void send_message(const std::string& bytes, int destination, int tag) {
    MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, destination, tag, MPI_COMM_WORLD);
}

bool mpi_orders::take(stop_order& order) {
    int tag = tag_stop;
    int from = 0;
    std::string bytes;
    if (!try_receive(0, tag, from, bytes)) return false;
    order = wire_reader{bytes}.get<stop_order>();
    return true;
}

void mpi_orders::report_signal(int signal_number, bool now) {
    wire_writer out;
    out.put(stop_order{stop_order::signal, signal_number, now});
    send_message(out.bytes, 0, tag_signal);
}

bool mpi_feed::next(pending_job& job) {
    if (!asked_) send_message({}, 0, tag_request);
    asked_ = false;
    int from = 0;
    int tag = tag_line;
    const std::string bytes = receive_message(0, tag, from);
    if (bytes.empty()) return false;
    if (ask_ahead_) {
        send_message({}, 0, tag_request);
        asked_ = true;
    }
    wire_reader in{bytes};
    job = pending_job{};
    job.line.number = in.get<std::uint64_t>();
    job.sequence = in.get<std::uint64_t>();
    job.line.text = in.get_string();
    check_line(job.line);
    return true;
}

void mpi_feed::drain() {
    int from = 0;
    int tag = tag_line;
    if (asked_) receive_message(0, tag, from);
    asked_ = false;
}

bool mpi_sink::on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) {
    return output.streams[stream].append(data, size, error);
}

bool mpi_sink::on_attempt(const joblog_row& row, std::string& /*error*/) {
    feed_.job_took(row.result.end - row.result.start);
    wire_writer out;
    out.put(row.line);
    out.put(row.rank);
    out.put(row.result);
    out.put_string(host_);
    out.put_string(*row.command);
    send_message(out.bytes, 0, tag_attempt);
    return true;
}

bool mpi_sink::on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) {
    wire_writer out;
    out.put(sequence);
    out.put(line);
    for (const captured_stream& stream : output.streams) {
        std::string text;
        if (!stream.append_to(text)) error = "cannot read back a job's output";
        out.put_string(text);
    }
    send_message(out.bytes, 0, tag_end);
    return error.empty();
}

void mpi_sink::on_failed_line(std::uint64_t line, const std::string& text, int status) {
    wire_writer out;
    out.put(line);
    out.put(status);
    out.put_string(text);
    send_message(out.bytes, 0, tag_failed);
}

} // namespace parmap_run
