#include "feed.hpp"

#include <cstdio>
#include <fstream>

namespace parmap_run {

file_feed::file_feed(job_reader& reader, const run_options& options, resume_log resume)
    : reader_(reader), options_(options), resume_(std::move(resume)) {}

bool file_feed::skip_for_resume(const job_line& line) const {
    if (!options_.resume && !options_.resume_failed) return false;
    const auto logged = resume_.find(line.number);
    if (logged == resume_.end()) return false;
    if (logged->second.hash != command_hash(line.text)) {
        std::fprintf(stderr, "parmap-run: line %llu changed since the joblog was written: it runs again\n",
                     static_cast<unsigned long long>(line.number));
        return false;
    }
    return options_.resume_failed ? logged->second.succeeded : true;
}

bool file_feed::next(pending_job& job) {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (stop_ && stop_()) return false;
    while (std::optional<job_line> line = reader_.next()) {
        if (options_.lines.contains(line->number) && !skip_for_resume(*line)) {
            job = pending_job{std::move(*line), sequence_++, 1};
            return true;
        }
    }
    return false;
}

bool local_sink::on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return output_.on_data(output, stream, data, size, error);
}

bool local_sink::on_attempt(const joblog_row& row, std::string& error) {
    const std::lock_guard<std::mutex> lock(mutex_);
    return joblog_.write(row, error);
}

bool local_sink::on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++ended_;
    return output_.on_end(std::move(output), sequence, line, error);
}

void local_sink::on_failed_line(std::uint64_t line, const std::string& text, int status) {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++failed_;
    if (keep_failed_) failed_lines_.emplace(line, text);
    if (halt_status_ < 0 && halt_.reached(failed_, ended_)) halt_status_ = status;
}

int local_sink::halt_status() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return halt_status_;
}

std::uint64_t local_sink::failed_lines() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return failed_;
}

void local_sink::write_failed_lines(const std::string& path) const {
    if (path.empty()) return;
    std::ofstream out(path, std::ios::trunc);
    for (const auto& line : failed_lines_) out << line.second << '\n';
    if (!out.flush()) std::fprintf(stderr, "parmap-run: --print-failed %s: cannot write it\n", path.c_str());
}

} // namespace parmap_run
