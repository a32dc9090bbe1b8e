// parmap backend: serial. Every chunk on the calling thread, in order: the reference the others are
// tested against. Chunks still exist so that stop and progress are checked between them.
#pragma once

#include <parmap/detail/job.hpp>
#include <parmap/policy.hpp>

#include <cstddef>

namespace parmap {

/// @brief The serial backend's tag: it has no options of its own.
struct serial_backend {};

/// @brief Runs on the calling thread, in order: the reference every other backend is tested against.
inline const policy<serial_backend> serial{};

namespace detail {

/// Runs body(begin, end) over the chunks of [0, n), whose boundaries are multiples of `align`.
template <class Progress, class Body>
void run_chunks(const policy<serial_backend, Progress>& p, std::size_t n, Body& body, std::size_t align = 1) {
    chunk_schedule schedule(n, p.options().chunking, 1, align);
    job_control<Progress> control(n, p.options(), p.progress_option());
    control.run_alone(schedule, body);
}

} // namespace detail
} // namespace parmap
