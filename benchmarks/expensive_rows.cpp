// expensive_rows: 768 elements of ~1 ms each (a ray tracer's rows, smallpt-sized) with the DEFAULT chunking,
// against the OpenMP loop without a schedule clause that such a program is ported from. A count alone
// would run these inline (768 is below the grain); automatic() times the first row and shares the rest.
// The cheap side of the same rule is map_square at 1e3: there the default must stay as fast as a serial loop.
#include "common.hpp"

#include <omp.h>

#include <cstddef>
#include <vector>

namespace parmap_bench {
namespace {

constexpr std::size_t rows = 768;
const auto row_time = std::chrono::microseconds(1000);

int render_row(std::size_t row) {
    spin_for(row_time);
    return static_cast<int>(row % 251);
}

void serial_loop(std::vector<int>& out) {
    for (std::size_t r = 0; r < rows; ++r) out[r] = render_row(r);
}

void parmap_threads(std::vector<int>& out) { out = parmap::parallel_map(parmap::threads, parmap::iota(rows), render_row); }

void parmap_openmp(std::vector<int>& out) { out = parmap::parallel_map(parmap::openmp, parmap::iota(rows), render_row); }

void omp(std::vector<int>& out) {
    const auto n = static_cast<std::ptrdiff_t>(rows);
#pragma omp parallel for num_threads(workers())
    for (std::ptrdiff_t r = 0; r < n; ++r) out[static_cast<std::size_t>(r)] = render_row(static_cast<std::size_t>(r));
}

struct implementation {
    const char* name;
    void (*run)(std::vector<int>& out);
};

const implementation implementations[] = {
    {"serial_loop", serial_loop},
    {"parmap_threads", parmap_threads},
    {"parmap_openmp", parmap_openmp},
    {"omp", omp},
};

} // namespace

void register_expensive_rows() {
    for (const implementation& impl : implementations) {
        add("expensive_rows", impl.name, rows, benchmark::kMillisecond, [&impl](benchmark::State& state, const std::string& name) {
            std::vector<int> out(rows);
            impl.run(out);
            for (std::size_t r = 0; r < rows; ++r) {
                if (out[r] != static_cast<int>(r % 251)) wrong_result(name, r, out[r], static_cast<double>(r % 251));
            }
            measure(state, [&] {
                impl.run(out);
                return out.data();
            });
        });
    }
}

} // namespace parmap_bench
