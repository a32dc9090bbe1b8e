// The stop signals of the programs that write files (parmap-rotate, parmap-mandelbrot): Ctrl-C, SIGTERM and
// SIGHUP ask them to stop between files, except a signal that was ignored when the program started.
#pragma once

#include <csignal>

namespace parmap_examples {

/// Installs `handler` with `flags` (SA_RESTART, SA_RESETHAND, ...) for SIGINT, SIGTERM and SIGHUP. A signal
/// the process was started with ignored stays ignored, as the parent asked: `nohup` ignores SIGHUP so that a
/// batch outlives the terminal, and a shell without job control ignores SIGINT in a background `cmd &` so
/// that a Ctrl-C meant for the foreground does not reach it.
inline void catch_stop_signals(void (*handler)(int), int flags) {
    struct sigaction action {};
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigemptyset(&action.sa_mask);
    for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        struct sigaction current {};
        if (sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) continue;
        sigaction(signal_number, &action, nullptr);
    }
}

} // namespace parmap_examples
