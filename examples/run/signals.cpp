#include "signals.hpp"

#include <initializer_list>
#include <pthread.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace parmap_run {

namespace {

bool ignored_at_start(int signal_number) {
    struct sigaction current {};
    ::sigaction(signal_number, nullptr, &current);
    return current.sa_handler == SIG_IGN;
}

sigset_t watched_signals() {
    sigset_t watched;
    sigemptyset(&watched);
    sigaddset(&watched, SIGCHLD);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        if (!ignored_at_start(signal_number)) sigaddset(&watched, signal_number);
    }
    return watched;
}

} // namespace

const sigset_t& block_runner_signals() {
    static const sigset_t original = [] {
        sigset_t blocked = watched_signals();
        sigaddset(&blocked, SIGPIPE);  // a closed stdout is an EPIPE error, not the runner's death; jobs get it back
        sigset_t before;
        ::sigprocmask(SIG_BLOCK, &blocked, &before);
        return before;
    }();
    return original;
}

signal_watch::signal_watch() {
    block_runner_signals();
    const sigset_t watched = watched_signals();
    ::pthread_sigmask(SIG_BLOCK, &watched, nullptr);
    fd_ = ::signalfd(-1, &watched, SFD_CLOEXEC | SFD_NONBLOCK);
}

signal_watch::~signal_watch() {
    if (fd_ >= 0) ::close(fd_);
}

int signal_watch::drain(bool& child) {
    int stop = 0;
    signalfd_siginfo info {};
    while (::read(fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGCHLD) child = true;
        else stop = static_cast<int>(info.ssi_signo);
    }
    return stop;
}

} // namespace parmap_run
