#include "output.hpp"

#include "job.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace parmap_run {

namespace {

bool save_stream(const captured_stream& stream, const std::string& path, std::string& error) {
    std::string temporary = path + ".partial.XXXXXX";
    const int fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    bool ok = fd >= 0 && stream.write_to(fd, line_prefix{}) && ::fchmod(fd, 0644) == 0;
    if (fd >= 0) ok = ::close(fd) == 0 && ok;
    if (ok && ::rename(temporary.c_str(), path.c_str()) == 0) return true;
    error = path + ": " + std::strerror(errno);
    if (fd >= 0) ::unlink(temporary.c_str());
    return false;
}

} // namespace

output_writer::output_writer(output_options options) : options_(std::move(options)) {
    if (options_.keep_order && options_.mode == output_mode::line) options_.mode = output_mode::group;
    const std::string& dir = options_.results_dir;
    if (!dir.empty() && ::mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) {
        throw runner_error("--results " + dir + ": " + std::strerror(errno));
    }
}

void output_writer::begin(job_output& output, std::uint64_t line) const {
    for (line_prefix& prefix : output.prefixes) prefix.text = options_.tag ? std::to_string(line) + "\t" : std::string();
}

bool output_writer::on_data(job_output& output, int stream, const char* data, std::size_t size, std::string& error) {
    const int fd = stream == 0 ? STDOUT_FILENO : STDERR_FILENO;
    const bool keep = options_.mode == output_mode::group || !options_.results_dir.empty();
    if (keep && !output.streams[stream].append(data, size, error)) return false;
    if (options_.mode == output_mode::ungroup) return write_prefixed(fd, data, size, output.prefixes[stream]);
    if (options_.mode == output_mode::group) return true;
    // line mode: whole lines now, the unfinished one when it is finished or the job ends
    std::string& partial = output.partial[stream];
    partial.append(data, size);
    const std::size_t last_newline = partial.rfind('\n');
    if (last_newline == std::string::npos) return true;
    const bool ok = write_prefixed(fd, partial.data(), last_newline + 1, output.prefixes[stream]);
    partial.erase(0, last_newline + 1);
    return ok;
}

bool output_writer::on_end(job_output&& output, std::uint64_t sequence, std::uint64_t line, std::string& error) {
    if (!options_.keep_order) return finish(output, line, error);
    waiting_.emplace(sequence, std::make_pair(line, std::move(output)));
    bool ok = true;
    for (auto next = waiting_.find(next_sequence_); next != waiting_.end(); next = waiting_.find(next_sequence_)) {
        ok = finish(next->second.second, next->second.first, error) && ok;
        waiting_.erase(next);
        ++next_sequence_;
    }
    return ok;
}

bool output_writer::finish(job_output& output, std::uint64_t line, std::string& error) {
    bool ok = true;
    for (int stream = 0; stream < 2; ++stream) {
        const int fd = stream == 0 ? STDOUT_FILENO : STDERR_FILENO;
        if (options_.mode == output_mode::group) ok = output.streams[stream].write_to(fd, output.prefixes[stream]) && ok;
        const std::string& partial = output.partial[stream];
        if (!partial.empty()) ok = write_prefixed(fd, partial.data(), partial.size(), output.prefixes[stream]) && ok;
    }
    if (!ok) error = std::string("cannot write job output: ") + std::strerror(errno);
    if (!options_.results_dir.empty()) ok = save_results(output, line, error) && ok;
    return ok;
}

bool output_writer::save_results(const job_output& output, std::uint64_t line, std::string& error) const {
    const std::string base = options_.results_dir + "/" + std::to_string(line);
    return save_stream(output.streams[0], base + ".out", error) && save_stream(output.streams[1], base + ".err", error);
}

} // namespace parmap_run
