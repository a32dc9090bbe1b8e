// parmap::verify: comparing what one configuration gave with the serial reference, and the differences
// its report line lists (counted all, the first ten kept as text).
#pragma once

#include <parmap/detail/verify_compare.hpp>
#include <parmap/detail/verify_report.hpp>
#include <parmap/detail/verify_run.hpp>
#include <parmap/parallel_map.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <functional>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap::detail {

/// Collects the differences of one configuration: counts them all, keeps the first ten. `describe()` gives
/// the reference, the result and the ULPs as text; it is called for those ten only (text costs more than comparing).
class difference_list {
public:
    explicit difference_list(verify_report::configuration& c) : c_(c) {}
    template <class Describe>
    void add(std::size_t index, Describe&& describe) {
        ++c_.differing;
        if (c_.first.size() < 10) {
            auto [reference, got, ulps] = describe();
            c_.first.push_back({index, std::move(reference), std::move(got), std::move(ulps)});
        }
    }

private:
    verify_report::configuration& c_;
};

/// A difference as the report shows it: the reference, the result, their distance in ULPs.
using texts = std::tuple<std::string, std::string, std::string>;

template <class T>
texts values_texts(const T& reference, const T& got) {
    const std::optional<std::uint64_t> d = max_ulp_distance(reference, got);
    return {to_text(reference), to_text(got), d ? std::to_string(*d) : "-"};
}

template <class Compare>
inline constexpr bool is_builtin_comparison_v = std::is_same_v<Compare, parmap::compare::bitwise> ||
                                                std::is_same_v<Compare, parmap::compare::ulps_within> ||
                                                std::is_same_v<Compare, parmap::compare::tolerance_within>;

/// Whether every element agrees. The built-in comparisons accept equal bits, so where results are compared bit
/// for bit by their bytes, blocks are compared with memcmp at memory speed (comparing costs about as much as a
/// memory-bound map) and only blocks that differ element by element; the blocks on parmap::threads. A callable
/// of the user's is called for every element, on parmap::threads (so it may be called from several threads at once).
template <class Stored, class Compare>
bool all_agree(const std::vector<Stored>& a, const std::vector<Stored>& b, Compare& compare) {
    const std::size_t n = a.size();
    if constexpr (is_builtin_comparison_v<Compare> && !std::is_same_v<Stored, bool> &&
                  (is_bits_float_v<Stored> || std::has_unique_object_representations_v<Stored>)) {
        const std::size_t block = 4096;
        auto block_differs = [&](std::size_t k) -> std::size_t {
            const std::size_t first = k * block, last = std::min(n, first + block);
            if (std::memcmp(a.data() + first, b.data() + first, (last - first) * sizeof(Stored)) == 0) return 0;
            if constexpr (!std::is_same_v<Compare, parmap::compare::bitwise>) {
                for (std::size_t i = first; i < last; ++i) {
                    if (!compare(a[i], b[i])) return 1;
                }
                return 0;
            }
            return 1;
        };
        const std::size_t blocks = (n + block - 1) / block;
        return parallel_map_reduce(parmap::threads, parmap::iota(blocks), block_differs, std::size_t{0}, std::plus<>{}) == 0;
    } else {
        auto differs = [&](std::size_t i) -> std::size_t { return !compare(value_at(a, i), value_at(b, i)); };
        return parallel_map_reduce(parmap::threads, parmap::iota(n), differs, std::size_t{0}, std::plus<>{}) == 0;
    }
}

/// Element by element: values where neither threw, exceptions (index and type) where either did.
template <class Stored, class Compare>
void compare_elements(const map_outcome<Stored>& ref, const map_outcome<Stored>& got, Compare& compare, difference_list& diffs) {
    auto r = ref.failures.begin(), g = got.failures.begin();
    for (std::size_t i = 0; i < ref.values.size(); ++i) {
        const bool ref_threw = r != ref.failures.end() && r->index == i;
        const bool got_threw = g != got.failures.end() && g->index == i;
        if (ref_threw || got_threw) {
            if (!(ref_threw && got_threw && same_failure(*r, *g))) {
                diffs.add(i, [&] {
                    return texts{ref_threw ? r->text() : to_text(value_at(ref.values, i)),
                                 got_threw ? g->text() : to_text(value_at(got.values, i)), "-"};
                });
            }
            r += ref_threw;
            g += got_threw;
        } else if (!compare(value_at(ref.values, i), value_at(got.values, i))) {
            diffs.add(i, [&] { return values_texts(value_at(ref.values, i), value_at(got.values, i)); });
        }
    }
}

template <class Stored, class Compare>
verify_report::configuration compare_map(std::string policy, const map_outcome<Stored>& ref, const map_outcome<Stored>& got,
                                         Compare& compare) {
    verify_report::configuration c{std::move(policy), false, "", got.seconds, 0, {}};
    difference_list diffs(c);
    if (got.call_failure || ref.call_failure) {
        const element_failure* first = ref.call_failure ? &*ref.call_failure : ref.failures.empty() ? nullptr : &ref.failures.front();
        if (!(first && got.call_failure && same_failure(*first, *got.call_failure))) {
            diffs.add(first ? first->index : 0, [&] {
                return texts{first ? first->text() : "(no exception)",
                             got.call_failure ? got.call_failure->text() : "(no exception)", "-"};
            });
        }
    } else if (got.values.size() != ref.values.size()) {
        diffs.add(0, [&] {
            return texts{std::to_string(ref.values.size()) + " results", std::to_string(got.values.size()) + " results", "-"};
        });
    } else if (!(ref.failures.empty() && got.failures.empty() && all_agree(ref.values, got.values, compare))) {
        compare_elements(ref, got, compare, diffs);
    }
    return c;
}

template <class T, class Compare>
verify_report::configuration compare_reduce(std::string policy, const reduce_outcome<T>& ref, const reduce_outcome<T>& got,
                                            Compare& compare) {
    verify_report::configuration c{std::move(policy), false, "", got.seconds, 0, {}};
    difference_list diffs(c);
    if (ref.value && got.value) {
        if (!compare(*ref.value, *got.value)) diffs.add(0, [&] { return values_texts(*ref.value, *got.value); });
    } else if (!(ref.failure && got.failure && same_failure(*ref.failure, *got.failure))) {
        diffs.add(0, [&] {
            return texts{ref.failure ? ref.failure->text() : to_text(*ref.value),
                         got.failure ? got.failure->text() : to_text(*got.value), "-"};
        });
    }
    return c;
}


} // namespace parmap::detail
