// parmap: the fixed combining order of parallel_map_reduce. Block sizes depend on n only, and block
// results are combined in a pairwise tree that depends on the number of blocks only, so a
// floating-point reduction gives the same bits on every backend, worker count and chunking.
#pragma once

#include <parmap/device.hpp>

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace parmap::detail {

/// Elements per reduction block: at least 16, and at most 1024 blocks in all.
inline constexpr std::size_t reduce_block_size(std::size_t n) noexcept {
    return std::max<std::size_t>(16, n / 1024 + (n % 1024 != 0));
}

/// f over elements [first, last) of one block, combined left to right: `element(i)` is f of element i.
/// Every backend, the device included, reduces its blocks with this loop, so their bits are the same.
/// Under nvcc it is a host and device function whose calls are checked where element and op are made,
/// not here: host code passes host lambdas, and parmap::thrust passes device functors whose own bodies
/// say what to fix when f or op cannot run on the device.
#if defined(__CUDACC__)
#pragma nv_exec_check_disable
#endif
template <class T, class Element, class Op>
PARMAP_HD T reduce_block(const Element& element, const Op& op, std::size_t first, std::size_t last) {
    T acc(element(first));
    for (std::size_t i = first + 1; i < last; ++i) acc = op(static_cast<T&&>(acc), element(i));
    return acc;
}

/// Combines values pushed in order as a binary counter does: two partial results of equal height
/// merge as soon as both exist (left op right); what is left at the end folds from the right.
/// It holds one value per level (11 for 1024 blocks), on the heap: a large T (a histogram) never
/// lands on the caller's stack more than once.
template <class T, class Op>
class reduce_tree {
public:
    /// A tree for `count` values: it reserves its levels (one more than count's bit length) up front.
    reduce_tree(Op& op, std::size_t count) : op_(op) {
        std::size_t depth = 1;
        for (; count > 1; count /= 2) ++depth;
        levels_.reserve(depth);
    }

    void push(T value) {
        unsigned height = 0;
        while (!levels_.empty() && levels_.back().height == height) {
            value = op_(std::move(levels_.back().value), std::move(value));
            levels_.pop_back();
            ++height;
        }
        levels_.push_back(level{std::move(value), height});
    }

    /// The combination of every pushed value; at least one must have been pushed.
    T result() && {
        T acc = std::move(levels_.back().value);
        levels_.pop_back();
        while (!levels_.empty()) {
            acc = op_(std::move(levels_.back().value), std::move(acc));
            levels_.pop_back();
        }
        return acc;
    }

private:
    struct level {
        T value;
        unsigned height;
    };
    Op& op_;
    std::vector<level> levels_;
};

} // namespace parmap::detail
