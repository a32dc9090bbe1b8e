// parmap backend: MPI. SPMD: every rank of a communicator makes the same call. The input lives on the
// root; each rank gets one contiguous block of it (MPI_Scatterv), maps it with its local policy (the same
// detail::run_chunks every CPU backend implements), and the results come back to the root (MPI_Gatherv)
// or to every rank (MPI_Allgatherv). Index ranges (parmap::iota) are never sent: only their bounds.
// parallel_map_reduce gives each rank whole reduction blocks and combines every block's result in the
// core's fixed tree, so its result is the serial backend's bits. After each step the ranks agree on its
// outcome (detail/mpi_transfer.hpp), so a failure anywhere is thrown everywhere. Public API: <parmap/mpi.hpp>.
#pragma once

#include <parmap/detail/mpi_transfer.hpp>
#include <parmap/detail/reduce_tree.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap::detail {

// ---- inputs ---------------------------------------------------------------------------------------

/// What the root tells every rank before a call: the input's size, an index range's first value, and
/// whether its policy gathers to all ranks (a rank that disagrees would call another collective: a hang).
struct mpi_shape {
    std::uint64_t n = 0;
    std::uint64_t first = 0;
    std::uint64_t to_all = 0;
};

inline mpi_shape broadcast_shape(const mpi_setup& s, mpi_shape mine) {
    std::uint64_t words[3] = {mine.n, mine.first, s.to_all ? 1u : 0u};
    mpi_call(MPI_Bcast(words, 3, MPI_UINT64_T, s.root, s.comm), "MPI_Bcast");
    return {words[0], words[1], words[2]};
}

/// Throws unless this rank passed an empty input or one as long as the root's.
inline void check_local_size(const mpi_setup& s, std::size_t mine, std::size_t root_n) {
    if (s.rank != s.root && mine != 0 && mine != root_n) {
        throw std::invalid_argument("this rank passed " + std::to_string(mine) + " elements but the root (rank " +
                                    std::to_string(s.root) + ") passed " + std::to_string(root_n) +
                                    ": other ranks pass an empty range or one as long as the root's");
    }
}

/// One rank's block of the input, elements [offset, offset + count) of the root's: the root reads its own
/// block in the input itself, the other ranks read what the scatter delivered, and index ranges are
/// recomputed from their bounds, so no rank ever sends an index.
template <class Range>
class mpi_input {
    using it_t = begin_t<Range>;

public:
    using value_type = std::remove_cv_t<typename std::iterator_traits<it_t>::value_type>;
    static constexpr bool is_index_range = is_iota_v<Range>;

    mpi_input(const mpi_setup& s, Range& input) : s_(s), input_(input) {
        mpi_shape mine{static_cast<std::uint64_t>(range_size(input)), 0};
        if constexpr (is_index_range) {
            if (mine.n != 0) mine.first = static_cast<std::uint64_t>(*std::begin(input));
        }
        shape_ = broadcast_shape(s, mine);
        local_n_ = static_cast<std::size_t>(mine.n);
    }

    std::size_t size() const noexcept { return static_cast<std::size_t>(shape_.n); }

    /// Checks this rank's input size and allocates what its block needs; may throw (before any transfer).
    void prepare(const mpi_blocks& blocks) {
        check_local_size(s_, local_n_, size());
        if ((shape_.to_all != 0) != s_.to_all) {
            throw std::invalid_argument(std::string("this rank's policy ") + (s_.to_all ? "has" : "lacks") +
                                        " .gather_to_all() but the root's " + (s_.to_all ? "lacks" : "has") +
                                        " it: every rank passes the same policy");
        }
        count_ = blocks.count[static_cast<std::size_t>(s_.rank)];
        offset_ = blocks.offset[static_cast<std::size_t>(s_.rank)];
        if constexpr (!is_index_range) {
            if (s_.rank != s_.root) {
                received_ = mpi_buffer<value_type>(count_);
            } else if constexpr (!has_contiguous_data<Range, value_type>::value) {
                if (s_.ranks > 1) {  // the root copies its input to contiguous storage once, to send from
                    staged_ = mpi_buffer<value_type>(size());
                    element_source<it_t> in(std::begin(input_), size());
                    for (std::size_t i = 0; i < size(); ++i) ::new (static_cast<void*>(staged_.data() + i)) value_type(in[i]);
                }
            }
        }
    }

    /// Delivers every rank's block (collective; nothing moves for index ranges).
    void scatter(const mpi_blocks& blocks) {
        if constexpr (!is_index_range) {
            const void* all = nullptr;
            if (s_.rank == s_.root) {
                if constexpr (has_contiguous_data<Range, value_type>::value) {
                    all = std::data(input_);
                } else {
                    all = staged_.data();
                }
            }
            mpi_mover(s_, blocks, sizeof(value_type)).scatter(all, received_.data());
        } else {
            (void)blocks;
        }
    }

    /// Calls fn(source, iterator tag) with an element_source over this rank's block (local indices).
    template <class Fn>
    void with_block(Fn&& fn) {
        if constexpr (is_index_range) {
            using int_t = value_type;
            const auto first = static_cast<int_t>(static_cast<int_t>(shape_.first) + static_cast<int_t>(offset_));
            auto block = iota(first, static_cast<int_t>(first + static_cast<int_t>(count_)));
            element_source<begin_t<decltype(block)>> in(block.begin(), count_);
            fn(in, block.begin());
        } else if (s_.rank == s_.root) {
            auto first = std::next(std::begin(input_), static_cast<typename std::iterator_traits<it_t>::difference_type>(offset_));
            element_source<it_t> in(first, count_);
            fn(in, first);
        } else {
            element_source<value_type*> in(received_.data(), count_);
            fn(in, received_.data());
        }
    }

    std::size_t count() const noexcept { return count_; }

private:
    const mpi_setup& s_;
    Range& input_;
    mpi_shape shape_;
    std::size_t local_n_ = 0, count_ = 0, offset_ = 0;
    mpi_buffer<value_type> received_, staged_;
};

// ---- results --------------------------------------------------------------------------------------

/// The std::vector<R> a map returns, written in place by MPI and the local map where R allows it
/// (default-constructible, not bool), else built from raw storage at the end.
template <class R>
class mpi_results {
    static constexpr bool in_place = std::is_default_constructible_v<R> && !std::is_same_v<R, bool>;

public:
    void allocate(std::size_t n) {
        if constexpr (in_place) {
            vector_.resize(n);
        } else {
            raw_ = mpi_buffer<R>(n);
        }
        n_ = n;
    }
    R* data() noexcept {
        if constexpr (in_place) {
            return vector_.data();
        } else {
            return raw_.data();
        }
    }
    std::vector<R> take() && {
        if constexpr (in_place) {
            return std::move(vector_);
        } else {
            return n_ == 0 ? std::vector<R>() : std::vector<R>(raw_.data(), raw_.data() + n_);
        }
    }

private:
    std::vector<R> vector_;
    mpi_buffer<R> raw_;
    std::size_t n_ = 0;
};

/// Writes f(in[i]) into the raw storage out[i] for i in [0, count), with the local policy.
template <class It, class R, class Local, class Source, class F>
void mpi_local_map(const Local& local, std::size_t count, const Source& in, R* out, F& f) {
    check_options(local);
    auto body = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) ::new (static_cast<void*>(out + i)) R(call_element<It>(f, in[i]));
    };
    run_chunks(local, count, body);
}

// ---- the three entry points -----------------------------------------------------------------------

/// parallel_map over MPI: the results on the root (and on every rank with to_all), an empty vector elsewhere.
template <class R, class Local, class Range, class F>
std::vector<R> mpi_run_map(const mpi_setup& s, const Local& local, Range& input, F& f) {
    mpi_stopwatch clock(s.timings);
    mpi_input<Range> in(s, input);
    const std::size_t n = in.size();
    const mpi_blocks blocks = even_blocks(n, s.ranks);
    const bool holds_all = s.to_all || s.rank == s.root;
    const std::size_t mine = blocks.count[static_cast<std::size_t>(s.rank)];
    mpi_results<R> results;
    mpi_buffer<R> own;  // the block of a rank that does not keep every result
    mpi_agree(s, mpi_try([&] {
        in.prepare(blocks);
        if (holds_all) {
            results.allocate(n);
        } else {
            own = mpi_buffer<R>(mine);
        }
    }));
    clock.lap(&mpi_timings::setup);
    in.scatter(blocks);
    clock.lap(&mpi_timings::scatter);
    R* out = holds_all ? results.data() + blocks.offset[static_cast<std::size_t>(s.rank)] : own.data();
    const mpi_outcome computed = mpi_try([&] {
        in.with_block([&](const auto& source, auto first) { mpi_local_map<decltype(first), R>(local, mine, source, out, f); });
    });
    clock.lap(&mpi_timings::compute);
    mpi_agree(s, computed);
    clock.lap(&mpi_timings::wait);
    const mpi_mover mover(s, blocks, sizeof(R));
    if (s.to_all) {
        mover.all_gather(results.data());
    } else {
        mover.gather(own.data(), results.data());
    }
    std::vector<R> out_vector = std::move(results).take();
    clock.lap(&mpi_timings::gather);
    return out_vector;
}

/// parallel_map_reduce over MPI: bitwise the serial backend's result, on every rank.
template <class T, class Local, class Range, class F, class Op>
T mpi_run_map_reduce(const mpi_setup& s, const Local& local, Range& input, F& f, T init, Op& op) {
    mpi_stopwatch clock(s.timings);
    mpi_input<Range> in(s, input);
    const std::size_t n = in.size();
    const std::size_t block = reduce_block_size(n);
    mpi_blocks per_rank_blocks;
    const mpi_blocks elements = reduction_blocks(n, block, s.ranks, per_rank_blocks);
    const std::size_t me = static_cast<std::size_t>(s.rank);
    const std::size_t all_blocks = ceil_div(n, block);
    std::vector<std::optional<T>> partial;
    mpi_buffer<T> partials;  // every block's result, in block order, on every rank
    mpi_agree(s, mpi_try([&] {
        in.prepare(elements);
        partial.resize(per_rank_blocks.count[me]);
        partials = mpi_buffer<T>(all_blocks);
    }));
    clock.lap(&mpi_timings::setup);
    in.scatter(elements);
    clock.lap(&mpi_timings::scatter);
    const mpi_outcome computed = mpi_try([&] {
        check_options(local);
        in.with_block([&](const auto& source, auto first_it) {
            using it_t = decltype(first_it);
            // Local indices: block boundaries are multiples of `block` here exactly where they are in the
            // whole input, since every rank starts on one.
            auto element = [&](std::size_t i) -> decltype(auto) { return call_element<it_t>(f, source[i]); };
            auto body = [&](std::size_t begin, std::size_t end) {
                for (std::size_t first = begin; first < end; first += block) {
                    partial[first / block].emplace(reduce_block<T>(element, op, first, std::min(end, first + block)));
                }
            };
            run_chunks(local, in.count(), body, block);
        });
        T* mine = partials.data() + per_rank_blocks.offset[me];
        for (std::size_t b = 0; b < partial.size(); ++b) ::new (static_cast<void*>(mine + b)) T(std::move(*partial[b]));
    });
    clock.lap(&mpi_timings::compute);
    mpi_agree(s, computed);
    clock.lap(&mpi_timings::wait);
    mpi_mover(s, per_rank_blocks, sizeof(T)).all_gather(partials.data());
    if (n == 0) {
        clock.lap(&mpi_timings::gather);
        return init;
    }
    reduce_tree<T, Op> tree(op, all_blocks);
    for (std::size_t b = 0; b < all_blocks; ++b) tree.push(partials.data()[b]);
    T result = op(std::move(init), std::move(tree).result());
    clock.lap(&mpi_timings::gather);
    return result;
}

/// parallel_for over MPI: every rank calls f(i) for its own contiguous share of [0, n).
template <class Local, class F>
void mpi_run_for(const mpi_setup& s, const Local& local, std::size_t n, F& f) {
    mpi_stopwatch clock(s.timings);
    const mpi_shape root = broadcast_shape(s, {static_cast<std::uint64_t>(n), 0});
    const mpi_blocks blocks = even_blocks(static_cast<std::size_t>(root.n), s.ranks);
    const std::size_t me = static_cast<std::size_t>(s.rank);
    mpi_agree(s, mpi_try([&] {
        if (n != root.n) {
            throw std::invalid_argument("parallel_for over MPI: this rank's n is " + std::to_string(n) + " but the root's (rank " +
                                        std::to_string(s.root) + ") is " + std::to_string(root.n) + ": every rank passes the same n");
        }
    }));
    clock.lap(&mpi_timings::setup);
    const mpi_outcome computed = mpi_try([&] {
        check_options(local);
        const std::size_t offset = blocks.offset[me];
        auto body = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) f(offset + i);
        };
        run_chunks(local, blocks.count[me], body);
    });
    clock.lap(&mpi_timings::compute);
    mpi_agree(s, computed);
    clock.lap(&mpi_timings::wait);
}

} // namespace parmap::detail
