// imap_trivial and imap_busy1us: streaming f over 1e6 (trivial f: y = x * x + 1) or 1e5 (about 1 us of
// spinning each) in-memory doubles and summing the results on the calling thread, as a consumer of a
// stream does. Every implementation consumes in input order, except parmap_imap_unordered.
//   serial_loop            the plain loop: sum += f(x).
//   parmap_map             parallel_map into a vector on parmap::threads, then the sum: the whole output held.
//   parmap_imap            for (double y : parmap::imap(parmap::threads, xs, f)) sum += y, default buffer.
//   parmap_imap_unordered  the same with imap_unordered.
//   tbb_pipeline           oneTBB's parallel_pipeline: serial_in_order input (one element per token) ->
//                          parallel f -> serial_in_order sum, with imap's default buffer as max tokens.
// items_per_second is elements through f and into the sum.
// imap_first: the time until the consumer holds its first result and leaves the loop, over the same 1e5
// elements of ~1 us (parallel_map computes them all first; a stream about one grab: one element at first).
#include "common.hpp"

#include <tbb/parallel_pipeline.h>

#include <chrono>
#include <cstddef>
#include <string>

namespace parmap_bench {
namespace {

using items = buffer<double>;

double trivial(double x) { return x * x + 1.0; }

double busy(double x) {
    spin_for(std::chrono::nanoseconds(1000));
    return x * 2.0;
}

using function = double (*)(double);

/// imap's default buffer on workers() threads (imap.hpp: 4 grabs of up to 1024 per worker), the TBB tokens.
std::size_t default_buffer() { return 4 * 1024 * static_cast<std::size_t>(workers()); }

double serial_loop(const items& xs, function f) {
    double sum = 0;
    for (double x : xs) sum += f(x);
    return sum;
}

double parmap_map(const items& xs, function f) {
    double sum = 0;
    for (double y : parmap::parallel_map(parmap::threads, xs, f)) sum += y;
    return sum;
}

double parmap_imap(const items& xs, function f) {
    double sum = 0;
    for (double y : parmap::imap(parmap::threads, xs, f)) sum += y;
    return sum;
}

double parmap_imap_unordered(const items& xs, function f) {
    // Summed in completion order: the check compares within a tolerance (the sum's order differs).
    double sum = 0;
    for (auto&& result : parmap::imap_unordered(parmap::threads, xs, f)) sum += result.value;
    return sum;
}

double tbb_pipeline(const items& xs, function f) {
    std::size_t next = 0;
    double sum = 0;
    tbb::parallel_pipeline(default_buffer(),
                           tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                                               [&](tbb::flow_control& control) -> std::size_t {
                                                                   if (next == xs.size()) control.stop();
                                                                   return next++;
                                                               }) &
                               tbb::make_filter<std::size_t, double>(tbb::filter_mode::parallel,
                                                                     [&](std::size_t i) { return f(xs[i]); }) &
                               tbb::make_filter<double, void>(tbb::filter_mode::serial_in_order, [&](double y) { sum += y; }));
    return sum;
}

struct implementation {
    const char* name;
    double (*run)(const items& xs, function f);
};

// A new implementation is one function above and one row here.
const implementation implementations[] = {
    {"serial_loop", serial_loop},   {"parmap_map", parmap_map}, {"parmap_imap", parmap_imap},
    {"parmap_imap_unordered", parmap_imap_unordered}, {"tbb_pipeline", tbb_pipeline},
};

void run(benchmark::State& state, const std::string& name, const implementation& impl, std::size_t n, function f) {
    items xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i % 1000) / 1000.0;
    const double want = serial_loop(xs, f), got = impl.run(xs, f);
    if (got < want * (1 - 1e-9) || got > want * (1 + 1e-9)) wrong_result(name, 0, got, want);
    measure(state, [&] { return impl.run(xs, f); });
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n));
}

/// imap_first: each returns its first result's index and value; run_first checks value == f(xs[index]).
struct first_result {
    std::size_t index;
    double value;
};

first_result first_serial(const items& xs, function f) { return {0, f(xs[0])}; }

first_result first_map(const items& xs, function f) { return {0, parmap::parallel_map(parmap::threads, xs, f)[0]}; }

first_result first_imap(const items& xs, function f) {
    for (double y : parmap::imap(parmap::threads, xs, f)) return {0, y};
    return {xs.size(), 0};
}

first_result first_imap_unordered(const items& xs, function f) {
    for (auto&& [i, y] : parmap::imap_unordered(parmap::threads, xs, f)) return {i, y};
    return {xs.size(), 0};
}

struct first_implementation {
    const char* name;
    first_result (*run)(const items& xs, function f);
};

const first_implementation first_implementations[] = {
    {"serial_loop", first_serial}, {"parmap_map", first_map}, {"parmap_imap", first_imap}, {"parmap_imap_unordered", first_imap_unordered},
};

void run_first(benchmark::State& state, const std::string& name, const first_implementation& impl, std::size_t n, function f) {
    items xs(n);
    for (std::size_t i = 0; i < n; ++i) xs[i] = static_cast<double>(i % 1000) / 1000.0;
    const first_result got = impl.run(xs, f);
    if (got.index >= n || got.value != f(xs[got.index])) wrong_result(name, got.index, got.value, got.index < n ? f(xs[got.index]) : 0);
    warm_up([&] { benchmark::DoNotOptimize(impl.run(xs, f)); });
    for (auto _ : state) benchmark::DoNotOptimize(impl.run(xs, f));
}

} // namespace

void register_imap() {
    for (const implementation& impl : implementations) {
        add("imap_trivial", impl.name, 1000000, benchmark::kMillisecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, 1000000, trivial); });
        add("imap_busy1us", impl.name, 100000, benchmark::kMillisecond,
            [&impl](benchmark::State& state, const std::string& name) { run(state, name, impl, 100000, busy); });
    }
    for (const first_implementation& impl : first_implementations) {
        add("imap_first", impl.name, 100000, benchmark::kMicrosecond,
            [&impl](benchmark::State& state, const std::string& name) { run_first(state, name, impl, 100000, busy); });
    }
}

} // namespace parmap_bench
