#include "scheduler.hpp"

#include "spawn.hpp"

#include <initializer_list>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

namespace parmap_run {

double monotonic_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

scheduler::scheduler(const run_options& options, job_feed& feed, result_sink& sink, orphan_guard& guard)
    : options_(options), feed_(feed), sink_(sink), guard_(guard), slots_(options.jobs) {}

run_summary scheduler::run() {
    started_at_ = monotonic_seconds();
    for (;;) {
        fill_slots();
        if (running_ == 0 && (stopping_ || (end_of_file_ && retries_.empty()))) break;
        poll_once();
        follow_orders();
        check_timers();
        finish_done_jobs();
        if (options_.progress) show_progress(false);
    }
    if (options_.progress) show_progress(true);
    return summary_;
}

bool scheduler::next_pending(pending_job& job) {
    if (!retries_.empty()) {
        job = std::move(retries_.front());
        retries_.pop_front();
        return true;
    }
    if (end_of_file_) return false;
    try {
        end_of_file_ = !feed_.next(job);
    } catch (const runner_error& error) {
        fail_runner(error.what());
        return false;
    }
    summary_.lines += end_of_file_ ? 0 : 1;
    return !end_of_file_;
}

void scheduler::fill_slots() {
    for (unsigned slot = 0; slot < slots_.size() && !stopping_; ++slot) {
        if (slots_[slot]) continue;
        pending_job job;
        if (!next_pending(job)) return;
        start(std::move(job), slot);
    }
}

void scheduler::start(pending_job&& job, unsigned slot) {
    auto running = std::make_unique<running_job>();
    running->job = std::move(job);
    running->slot = slot;
    running->result.attempt = running->job.attempt;
    running->result.start = wall_seconds();
    sink_.begin(running->output, running->job.line.number);
    std::string error = running->job.line.problem;
    if (error.empty()) {
        const spawn_request request{&options_.shell, &running->job.line.text, running->job.line.number, slot + 1,
                                    options_.rank, running->job.attempt, sink_.captures(), &signals_.child_mask()};
        spawned_job child = spawn_job(request, error);
        running->pid = child.pid;
        running->fds[0] = child.out;
        running->fds[1] = child.err;
        running->script = std::move(child.script);
    }
    if (running->pid < 0) {  // never started: fails as a shell does for a command it cannot run
        std::fprintf(stderr, "parmap-run: line %llu: %s\n", static_cast<unsigned long long>(running->job.line.number), error.c_str());
        running->exited = true;
        running->result.exit_code = 127;
    } else {
        guard_.watch(slot, running->pid);
        if (options_.timeout > 0) running->deadline = monotonic_seconds() + options_.timeout;
    }
    slots_[slot] = std::move(running);
    ++running_;
}

void scheduler::poll_once() {
    std::vector<pollfd> fds{{signals_.fd(), POLLIN, 0}};
    std::vector<std::pair<running_job*, int>> owners{{nullptr, 0}};
    for (auto& slot : slots_) {
        if (!slot) continue;
        for (int stream = 0; stream < 2; ++stream) {
            if (slot->fds[stream] < 0) continue;
            fds.push_back({slot->fds[stream], POLLIN, 0});
            owners.emplace_back(slot.get(), stream);
        }
    }
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::ceil(poll_timeout_ms())));
    if (ready == 0) reap_children();  // a SIGCHLD taken by a thread that left it unblocked (a library's) is not lost
    if (ready <= 0) return;
    for (std::size_t i = 1; i < fds.size(); ++i) {
        if (fds[i].revents != 0) read_output(*owners[i].first, owners[i].second);
    }
    if (fds[0].revents != 0) {
        bool child = false;
        if (const int stop = signals_.drain(child)) on_stop_signal(stop);
        if (child) reap_children();
    }
}

double scheduler::poll_timeout_ms() const {
    double nearest = options_.progress ? next_progress_ : 0;
    for (const auto& slot : slots_) {
        if (!slot) continue;
        if (slot->exited && slot->fds[0] < 0 && slot->fds[1] < 0) return 0;  // never started: conclude now
        for (const double when : {slot->deadline, slot->kill_at}) {
            if (when > 0 && (nearest == 0 || when < nearest)) nearest = when;
        }
    }
    const double cap = link_ != nullptr ? order_check_ms : running_ > 0 ? 1000 : -1;  // waitpid at least once a second
    if (nearest == 0) return cap;
    const double until = std::max(0.0, (nearest - monotonic_seconds()) * 1000);
    return cap < 0 ? until : std::min(until, cap);
}

void scheduler::read_output(running_job& job, int stream) {
    char buffer[1 << 16];
    const ssize_t got = ::read(job.fds[stream], buffer, sizeof buffer);
    if (got < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (got <= 0) {
        ::close(job.fds[stream]);
        job.fds[stream] = -1;
        return;
    }
    std::string error;
    if (!sink_.on_data(job.output, stream, buffer, static_cast<std::size_t>(got), error)) fail_runner(error);
}

void scheduler::reap_children() {
    int status = 0;
    for (pid_t pid; (pid = ::waitpid(-1, &status, WNOHANG)) > 0;) {
        const auto slot = std::find_if(slots_.begin(), slots_.end(), [pid](const auto& job) { return job && job->pid == pid; });
        if (slot == slots_.end()) continue;  // the orphan guard
        running_job& job = **slot;
        job.exited = true;
        job.result.end = wall_seconds();
        job.result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        job.result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    }
}

void scheduler::check_timers() {
    const double now = monotonic_seconds();
    for (auto& slot : slots_) {
        if (!slot || slot->exited) continue;
        if (slot->deadline > 0 && now >= slot->deadline) {
            slot->deadline = 0;
            slot->result.timed_out = true;
            ::kill(-slot->pid, SIGTERM);
            slot->kill_at = now + options_.grace;
        } else if (slot->kill_at > 0 && now >= slot->kill_at) {
            slot->kill_at = 0;
            ::kill(-slot->pid, SIGKILL);
        }
    }
}

void scheduler::finish_done_jobs() {
    for (auto& slot : slots_) {
        if (!slot || !slot->exited || slot->fds[0] >= 0 || slot->fds[1] >= 0) continue;
        if (slot->pid > 0) guard_.watch(slot->slot, 0);
        if (!slot->script.empty()) ::unlink(slot->script.c_str());
        if (slot->result.end == 0) slot->result.end = wall_seconds();
        conclude(*slot);
        slot.reset();
        --running_;
    }
}

void scheduler::stop_all(int signal_number, double grace) {
    const double now = monotonic_seconds();
    for (auto& slot : slots_) {
        if (!slot || slot->exited) continue;
        ::kill(-slot->pid, signal_number);
        slot->kill_at = grace > 0 ? now + grace : 0;
    }
}

void scheduler::on_stop_signal(int signal_number) {
    const bool second = summary_.stop_signal != 0;
    if (link_ != nullptr) link_->report_signal(signal_number, second);
    stop_for_signal(signal_number, second);
}

void scheduler::follow_orders() {
    for (stop_order order; link_ != nullptr && link_->take(order);) {
        if (order.kind == stop_order::halt) halt(order.value, order.now);
        else if (order.now || summary_.stop_signal == 0) stop_for_signal(order.value, order.now);
    }
}

void scheduler::stop_for_signal(int signal_number, bool now) {
    stopping_ = true;
    if (summary_.stop_signal == 0) summary_.stop_signal = signal_number;
    if (now) {  // the second one: no more waiting
        stop_all(SIGKILL, 0);
        return;
    }
    std::fprintf(stderr, "parmap-run: %s: no new jobs; sending it to the %zu running (again to kill them now)\n",
                 ::strsignal(signal_number), running_);
    stop_all(signal_number, options_.grace);
}

void scheduler::fail_runner(const std::string& message) {
    if (!summary_.runner_failed) std::fprintf(stderr, "parmap-run: %s: no new jobs\n", message.c_str());
    summary_.runner_failed = true;
    stopping_ = true;
}

} // namespace parmap_run
