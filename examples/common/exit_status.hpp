// The example programs' last word on a failure: an exception that reaches main becomes one line on stderr,
// "program: reason", and exit status 1; where memory ran out, the line says what was too large
// (out_of_memory.hpp) instead of a bare "std::bad_alloc".
#pragma once

#include <cstdio>
#include <exception>
#include <new>
#include <string>

namespace parmap_examples {

/// @brief run()'s exit status; if it throws, "program: what()" on stderr and 1.
template <class Run>
int exit_status(const char* program, Run&& run) {
    try {
        return run();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
        return 1;
    }
}

/// @brief exit_status(program, run), except that a std::bad_alloc prints too_large() (a std::string, such
/// as out_of_memory()'s) for the reason.
template <class Run, class TooLarge>
int exit_status(const char* program, Run&& run, TooLarge&& too_large) {
    return exit_status(program, [&] {
        try {
            return run();
        } catch (const std::bad_alloc&) {
            std::fprintf(stderr, "%s: %s\n", program, std::string(too_large()).c_str());
            return 1;
        }
    });
}

} // namespace parmap_examples
