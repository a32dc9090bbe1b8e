// map_square_errors: map_square's y[i] = x[i] * x[i] (parallel_map's iterator form on parmap::threads)
// under each error policy, at 1e5 and 1e6 elements, so the ratios to fail_fast come from one run:
//   fail_fast          the default policy: map_square/parmap_threads again, the baseline
//   collect            .errors(on_error::collect), no element failing
//   as_values          .errors(on_error::as_values), no element failing; y holds parmap::result<float>
//   collect_1pct_fail  collect with 10 elements in every 1024 (1%) throwing; the call throws parmap::errors
//   output_floor       as_values' floor: fail_fast writing x * x into the value of 16-byte {float, pointer}
//                      records, the size of a parmap::result<float> (4x the bytes of a float to write)
//   caught_in_f_1pct   fail_fast with the same 1% throwing, each caught inside f and dropped
//   kept_in_f_1pct     collect_1pct_fail's floor: the same, each exception kept (a std::exception_ptr in
//                      a slot taken with one atomic add) until the call has ended, then all freed, as
//                      collect must keep them for parmap::errors
#include "common.hpp"

#include <atomic>
#include <cstddef>
#include <exception>
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

const auto square_or_zero = [](float v) {
    try {
        return square_or_fail(v);
    } catch (const std::domain_error&) {
        return 0.0f;
    }
};

/// Where kept_in_f_1pct keeps its exceptions: room for every element's, reused by each call.
struct kept_exceptions {
    std::vector<std::exception_ptr> slots;
    std::atomic<std::size_t> used{0};
    void clear() {
        for (std::size_t i = 0, n = used.exchange(0); i < n; ++i) slots[i] = nullptr;
    }
};

/// A parmap::result<float>'s size and layout, with nothing to check: as_values' memory floor.
struct float_record {
    float value;
    void* error;
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
            else if constexpr (std::is_same_v<typename Out::value_type, float_record>) return y[i].value;
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
        add("map_square_errors", "output_floor", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            using records = std::vector<float_record>;
            run<records>(s, name, n, false, [](const floats& x, records& y) {
                float_record* out = y.data();
                parmap::parallel_for(parmap::threads, x.size(), [&x, out](std::size_t i) { out[i].value = x[i] * x[i]; });
            });
        });
        add("map_square_errors", "caught_in_f_1pct", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            run<floats>(s, name, n, true, [](const floats& x, floats& y) { run_mode(parmap::on_error::fail_fast, x, y, square_or_zero); });
        });
        add("map_square_errors", "kept_in_f_1pct", n, benchmark::kMicrosecond, [n](benchmark::State& s, const std::string& name) {
            kept_exceptions kept;
            kept.slots.resize(n);
            run<floats>(s, name, n, true, [&kept](const floats& x, floats& y) {
                auto square_or_keep = [&kept](float v) {
                    try {
                        return square_or_fail(v);
                    } catch (const std::domain_error&) {
                        kept.slots[kept.used.fetch_add(1, std::memory_order_relaxed)] = std::current_exception();
                        return 0.0f;
                    }
                };
                parmap::parallel_map(parmap::threads, x.begin(), x.end(), y.begin(), square_or_keep);
                kept.clear();
            });
        });
    }
}

} // namespace parmap_bench
