// The front-ends as one switch, so that a test can run the same check through each of them.
#pragma once

#include "common.hpp"

#include <functional>
#include <list>
#include <numeric>
#include <vector>

namespace conformance {

enum class front { map, map_list, iterator, for_each, reduce };

inline const char* name_of(front which) {
    switch (which) {
    case front::map: return "parallel_map(policy, iota, f)";
    case front::map_list: return "parallel_map(policy, std::list, f)";
    case front::iterator: return "parallel_map(policy, first, last, out, f)";
    case front::for_each: return "parallel_for(policy, n, f)";
    case front::reduce: return "parallel_map_reduce(policy, iota, f, init, op)";
    }
    return "?";
}

#define CONFORMANCE_FRONT() GENERATE(::conformance::front::map, ::conformance::front::map_list, ::conformance::front::iterator, \
                                       ::conformance::front::for_each, ::conformance::front::reduce)

/// Runs one front-end over the indices [0, n) with f(std::size_t i) -> long.
template <class Policy, class F>
void call_front(front which, const Policy& policy, std::size_t n, F& f) {
    switch (which) {
    case front::map:
        (void)parmap::parallel_map(policy, parmap::iota(n), f);
        return;
    case front::map_list: {
        std::list<std::size_t> in(n);
        std::iota(in.begin(), in.end(), std::size_t{0});
        (void)parmap::parallel_map(policy, in, f);
        return;
    }
    case front::iterator: {
        std::vector<std::size_t> in(n);
        std::iota(in.begin(), in.end(), std::size_t{0});
        std::vector<long> out(n);
        (void)parmap::parallel_map(policy, in.begin(), in.end(), out.begin(), f);
        return;
    }
    case front::for_each:
        parmap::parallel_for(policy, n, [&f](std::size_t i) { (void)f(i); });
        return;
    case front::reduce:
        (void)parmap::parallel_map_reduce(policy, parmap::iota(n), f, 0L, std::plus<>{});
        return;
    }
}

/// After an exception or a stop, the same backend (and so the same pool or OpenMP runtime) must work normally.
template <class Policy>
void check_still_works(const Policy& policy) {
    const std::size_t n = 5003;
    auto got = parmap::parallel_map(policy, parmap::iota(n), [](std::size_t i) { return 2 * i + 1; });
    std::size_t wrong = got.size() != n;
    for (std::size_t i = 0; i < got.size(); ++i) wrong += got[i] != 2 * i + 1;
    CHECK(wrong == 0);

    std::vector<std::atomic<int>> calls(n);
    parmap::parallel_for(policy, n, [&](std::size_t i) { calls[i].fetch_add(1); });
    std::size_t not_once = 0;
    for (std::size_t i = 0; i < n; ++i) not_once += calls[i].load() != 1;
    CHECK(not_once == 0);

    long want = 0;
    for (std::size_t i = 0; i < n; ++i) want += static_cast<long>(i);
    CHECK(parmap::parallel_map_reduce(policy, parmap::iota(n), [](std::size_t i) { return static_cast<long>(i); }, 0L, std::plus<>{}) ==
          want);
}

}  // namespace conformance
