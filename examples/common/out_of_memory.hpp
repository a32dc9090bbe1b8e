// The example programs' message when memory runs out: what was too large, how much it needs, how much the
// machine has, and what to change, instead of a bare "std::bad_alloc".
#pragma once

#include <cstdio>
#include <string>

#if defined(__unix__)
#include <unistd.h>
#endif

namespace parmap_examples {

/// @brief `bytes` as "8.1 GB".
inline std::string gigabytes(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3g GB", bytes / 1e9);
    return text;
}

/// @brief "out of memory: WHAT needs about 8 GB (this machine has 23 GB); ADVICE". `bytes` is the program's
/// own estimate of what WHAT holds at once.
inline std::string out_of_memory(const std::string& what, double bytes, const std::string& advice) {
    std::string message = "out of memory: " + what + " needs about " + gigabytes(bytes);
#if defined(__unix__)
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    if (pages > 0 && page > 0) message += " (this machine has " + gigabytes(static_cast<double>(pages) * static_cast<double>(page)) + ")";
#endif
    return message + "; " + advice;
}

} // namespace parmap_examples
