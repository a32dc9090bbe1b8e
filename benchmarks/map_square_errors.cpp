// map_square_errors: map_square's y[i] = x[i] * x[i] (parallel_map's iterator form on parmap::threads)
// under each error policy, at 1e5 and 1e6 elements, so the ratios to fail_fast come from one run:
//   fail_fast          the default policy: map_square/parmap_threads again, the baseline
//   collect            .errors(on_error::collect), no element failing
//   as_values          .errors(on_error::as_values), no element failing; y holds parmap::result<float>
//   collect_1pct_fail  collect with 10 elements in every 1024 (1%) throwing; the call throws parmap::errors
#include "common.hpp"

#include <cstddef>
#include <stdexcept>
#include <vector>

namespace parmap_bench {
namespace {

using floats = buffer<float>;

// Function objects, not function pointers, so that f is inlined and the loop vectorised as in map_square.
const auto square = [](float v) { return v * v; };

// x's values run from 1 to 2 in steps of 1/1024: the top 10 of every 1024 fail.
const auto square_or_fail = [](float v) {
    if (v >= 1.99f) throw std::domain_error("out of range");
    return v * v;
};

template <class Mode, class Out, class F>
void run_mode(Mode mode, const floats& x, Out& y, F f) {
    try {
        parmap::parallel_map(parmap::threads.errors(mode), x.begin(), x.end(), y.begin(), f);
    } catch (const parmap::errors& e) {
        benchmark::DoNotOptimize(e.failures().data());
    }
}

template <class Out, class Run>
void run(benchmark::State& state, const std::string& name, std::size_t n, bool failing, Run call) {
    floats x(n);
    Out y(n);
    for (std::size_t i = 0; i < n; ++i) x[i] = 1.0f + static_cast<float>(i % 1024) / 1024.0f;
    call(x, y);
    for (std::size_t i = 0; i < n; ++i) {
        const bool fails = failing && x[i] >= 1.99f;
        const float got = [&] {
            if constexpr (std::is_same_v<Out, floats>) return y[i];
            else return y[i].has_value() ? *y[i] : 0.0f;
        }();
        if (got != (fails ? 0.0f : x[i] * x[i])) wrong_result(name, i, double(got), double(x[i] * x[i]));
    }
    warm_up([&] { call(x, y); });
    for (auto _ : state) {
        call(x, y);
        benchmark::DoNotOptimize(y.data());
        benchmark::ClobberMemory();
    }
}

} // namespace

void register_map_square_errors() {
    for (std::size_t n : {std::size_t{100000}, std::size_t{1000000}}) {
        add("map_square_errors", "fail_fast", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            run<floats>(s, name, n, false, [](const floats& x, floats& y) { run_mode(parmap::on_error::fail_fast, x, y, square); });
        });
        add("map_square_errors", "collect", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            run<floats>(s, name, n, false, [](const floats& x, floats& y) { run_mode(parmap::on_error::collect, x, y, square); });
        });
        add("map_square_errors", "as_values", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            using results = std::vector<parmap::result<float>>;
            run<results>(s, name, n, false, [](const floats& x, results& y) { run_mode(parmap::on_error::as_values, x, y, square); });
        });
        add("map_square_errors", "collect_1pct_fail", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            run<floats>(s, name, n, true, [](const floats& x, floats& y) { run_mode(parmap::on_error::collect, x, y, square_or_fail); });
        });
    }
}

} // namespace parmap_bench
