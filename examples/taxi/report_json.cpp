// parmap-taxi --json: one object, {"bytes": B, "seconds": S, "services": {"yellow": {...}, "rideshare":
// {...}}}, each service present only when some input had it. Doubles are printed with 17 significant
// digits, so they read back to the same bits; a mean over no rows is null.
#include "report.hpp"

#include <cmath>
#include <cstdio>

namespace taxi {
namespace {

template <std::size_t N, std::size_t M>
void print_hist(const char* name, const std::array<double, N>& edges, const std::uint64_t (&counts)[M]) {
    static_assert(N == M + 1, "a histogram has one edge more than bins");
    std::printf("\"%s\": {\"edges\": [", name);
    for (std::size_t i = 0; i < N; ++i) std::printf("%s%.17g", i ? ", " : "", edges[i]);
    std::printf("], \"counts\": [");
    for (std::size_t i = 0; i < M; ++i) std::printf("%s%llu", i ? ", " : "", static_cast<unsigned long long>(counts[i]));
    std::printf("]}");
}

void print_service(service kind, const service_summary& s) {
    std::printf("\"%s\": {\"rows_read\": %llu, \"rows_used\": %llu, \"rows_skipped\": %llu, \"mean_tip_percent\": ",
                service_name(kind), static_cast<unsigned long long>(s.stats.rows_read),
                static_cast<unsigned long long>(s.stats.rows_used), static_cast<unsigned long long>(s.stats.rows_skipped));
    const double mean = mean_tip_percent(s.stats);
    if (std::isnan(mean)) std::printf("null, ");
    else std::printf("%.17g, ", mean);
    print_hist("tip_ratio_hist", tip_edges(), s.stats.tip_hist);
    std::printf(", ");
    print_hist("distance_hist", distance_edges(), s.stats.distance_hist);
    std::printf("}");
}

} // namespace

void print_json(const summaries& all, std::uint64_t bytes, double seconds) {
    std::printf("{\"bytes\": %llu, \"seconds\": %.6f, \"services\": {", static_cast<unsigned long long>(bytes), seconds);
    bool first = true;
    for (std::size_t k = 0; k < service_count; ++k) {
        if (!all[k]) continue;
        std::printf("%s", first ? "" : ", ");
        print_service(static_cast<service>(k), *all[k]);
        first = false;
    }
    std::printf("}}\n");
}

} // namespace taxi
