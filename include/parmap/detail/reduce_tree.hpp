// parmap: the fixed combining order of parallel_map_reduce. Block sizes depend on n only, and block
// results are combined in a pairwise tree that depends on the number of blocks only, so a
// floating-point reduction gives the same bits on every backend, worker count and chunking.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <utility>

namespace parmap::detail {

/// Elements per reduction block: at least 16, and at most 1024 blocks in all.
inline constexpr std::size_t reduce_block_size(std::size_t n) noexcept {
    return std::max<std::size_t>(16, n / 1024 + (n % 1024 != 0));
}

/// Combines values pushed in order as a binary counter does: two partial results of equal height
/// merge as soon as both exist (left op right); what is left at the end folds from the right.
template <class T, class Op>
class reduce_tree {
public:
    explicit reduce_tree(Op& op) noexcept : op_(op) {}

    void push(T value) {
        unsigned height = 0;
        while (depth_ > 0 && heights_[depth_ - 1] == height) {
            --depth_;
            value = op_(std::move(*values_[depth_]), std::move(value));
            values_[depth_].reset();
            ++height;
        }
        values_[depth_].emplace(std::move(value));
        heights_[depth_++] = height;
    }

    /// The combination of every pushed value; at least one must have been pushed.
    T result() && {
        T acc = std::move(*values_[--depth_]);
        while (depth_ > 0) {
            --depth_;
            acc = op_(std::move(*values_[depth_]), std::move(acc));
        }
        return acc;
    }

private:
    static constexpr std::size_t max_depth = 64;  // a binary counter of 64 bits: any count of blocks
    Op& op_;
    std::optional<T> values_[max_depth];
    unsigned heights_[max_depth] = {};
    std::size_t depth_ = 0;
};

} // namespace parmap::detail
