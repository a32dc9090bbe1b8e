#include "joblog.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace parmap_run {

namespace {

constexpr const char* header = "Line\tRank\tHost\tStart\tEnd\tRuntime\tAttempt\tExitCode\tSignal\tTimedOut\tHash\tCommand\n";

// Splits a row into its first `count` - 1 fields and the rest (the command may contain tabs).
std::vector<std::string> split_row(const std::string& row, std::size_t count) {
    std::vector<std::string> fields;
    std::size_t begin = 0;
    while (fields.size() + 1 < count) {
        const std::size_t tab = row.find('\t', begin);
        if (tab == std::string::npos) break;
        fields.push_back(row.substr(begin, tab - begin));
        begin = tab + 1;
    }
    fields.push_back(row.substr(begin));
    return fields;
}

} // namespace

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0) return "localhost";
    return name;
}

joblog_writer::joblog_writer(const std::string& path) : path_(path), host_(host_name()) {
    file_ = std::fopen(path.c_str(), "ae");
    if (file_ == nullptr) throw runner_error("--joblog " + path + ": " + std::strerror(errno));
    if (std::ftell(file_) == 0 && (std::fputs(header, file_) < 0 || std::fflush(file_) != 0)) {
        throw runner_error("--joblog " + path + ": " + std::strerror(errno));
    }
}

joblog_writer::~joblog_writer() {
    if (file_ != nullptr) std::fclose(file_);
}

bool joblog_writer::write(const joblog_row& row, std::string& error) {
    if (file_ == nullptr) return true;
    const attempt_result& r = row.result;
    std::string command = *row.command;
    for (char& c : command) c = c == '\0' ? ' ' : c;
    const int written = std::fprintf(file_, "%" PRIu64 "\t%d\t%s\t%.3f\t%.3f\t%.3f\t%u\t%d\t%d\t%d\t%016" PRIx64 "\t%s\n",
                                     row.line, row.rank, (row.host != nullptr ? *row.host : host_).c_str(), r.start, r.end, r.end - r.start, r.attempt,
                                     r.exit_code, r.signal, r.timed_out ? 1 : 0, command_hash(*row.command), command.c_str());
    if (written < 0 || std::fflush(file_) != 0) {
        error = "--joblog " + path_ + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

std::unordered_map<std::uint64_t, logged_line> read_joblog(const std::string& path) {
    std::unordered_map<std::uint64_t, logged_line> lines;
    std::ifstream in(path);
    if (!in) {
        if (errno == ENOENT) return lines;
        throw runner_error("--joblog " + path + ": " + std::strerror(errno));
    }
    std::string row;
    while (std::getline(in, row)) {
        const std::vector<std::string> fields = split_row(row, 12);
        if (fields.size() < 12 || fields[0].empty() || fields[0].find_first_not_of("0123456789") != std::string::npos) continue;
        logged_line& entry = lines[std::strtoull(fields[0].c_str(), nullptr, 10)];
        const std::uint64_t hash = std::strtoull(fields[10].c_str(), nullptr, 16);
        if (hash != entry.hash) entry.succeeded = false;  // a later run of an edited line: its own result counts
        entry.hash = hash;
        entry.succeeded = entry.succeeded || (fields[7] == "0" && fields[8] == "0");
    }
    return lines;
}

} // namespace parmap_run
