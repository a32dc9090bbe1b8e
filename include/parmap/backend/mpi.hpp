// parmap backend: MPI. SPMD: every rank of a communicator makes the same call. The input lives on the
// root; each rank gets one contiguous block of it (MPI_Scatterv), maps it with its local policy (the same
// detail::run_chunks every CPU backend implements), and the results come back to the root (MPI_Gatherv)
// or to every rank (MPI_Allgatherv). Index ranges (parmap::iota) are never sent: only their bounds.
// parallel_map_reduce gives each rank whole reduction blocks and combines every block's result in the
// core's fixed tree, so its result is the serial backend's bits. After each step the ranks agree on its
// outcome (detail/mpi_transfer.hpp), so a failure anywhere is thrown everywhere; under the local policy's
// error option the elements' failures are exchanged instead (detail/mpi_errors.hpp). The same four entry
// points as backend/thrust.hpp; each rank's block is in detail/mpi_input.hpp. Public API: <parmap/mpi.hpp>.
#pragma once

#include <parmap/detail/mpi_errors.hpp>
#include <parmap/detail/mpi_input.hpp>
#include <parmap/detail/mpi_transfer.hpp>
#include <parmap/detail/reduce_tree.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap {

template <class Local>
class mpi_policy;

namespace detail {

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

/// Writes f(in[i]) into the raw storage out[i] for i in [0, count), with the local policy; a failed
/// element's bytes are zeroed (they travel under as_values).
template <class It, class R, class Local, class Source, class F>
void mpi_local_map(const Local& local, std::size_t count, const Source& in, R* out, F& f, mpi_guard<Local>& guard) {
    check_options(local);
    auto body = [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            guard.element(i, [&] { ::new (static_cast<void*>(out + i)) R(call_element<It>(f, in[i])); },
                          [&] { std::memset(static_cast<void*>(out + i), 0, sizeof(R)); });
        }
    };
    guard.share([&] { run_chunks(plain(local), count, body); });
}

// ---- the entry points' bodies -----------------------------------------------------------------------

/// parallel_map over MPI: the results on the root (and on every rank with to_all), an empty vector elsewhere
/// (of parmap::result<R> under as_values).
template <class R, class Local, class Range, class F>
auto mpi_run_map(const mpi_setup& s, const Local& local, Range& input, F& f) {
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
    mpi_guard<Local> guard(local, blocks.offset[static_cast<std::size_t>(s.rank)]);
    const mpi_outcome computed = mpi_try([&] {
        in.with_block([&](const auto& source, auto first) { mpi_local_map<decltype(first), R>(local, mine, source, out, f, guard); });
    });
    clock.lap(&mpi_timings::compute);
    const std::vector<failure> failed = guard.agree(s, computed, n);
    clock.lap(&mpi_timings::wait);
    const mpi_mover mover(s, blocks, sizeof(R));
    if (s.to_all) {
        mover.all_gather(results.data());
    } else {
        mover.gather(own.data(), results.data());
    }
    auto out_vector = guard.results(std::move(results).take(), failed);
    clock.lap(&mpi_timings::gather);
    return out_vector;
}

/// This rank's share of a reduction: its whole blocks, each reduced left to right with the local policy,
/// their results moved to `mine` (raw storage) in block order. `partial` has a slot per block. Under
/// collect a failed element counts as a default value (or init), and the call throws anyway.
template <class T, class Local, class Input, class F, class Op>
void mpi_reduce_share(const Local& local, Input& in, std::size_t block, std::vector<std::optional<T>>& partial, T* mine, F& f,
                      Op& op, mpi_guard<Local>& guard, const T& init) {
    check_options(local);
    in.with_block([&](const auto& source, auto first_it) {
        using it_t = decltype(first_it);
        using V = std::decay_t<decltype(call_element<it_t>(f, source[0]))>;
        // Local indices: block boundaries are multiples of `block` here exactly where they are in the
        // whole input, since every rank starts on one.
        auto element = [&](std::size_t i) -> decltype(auto) {
            return guard.element(i, [&]() -> decltype(auto) { return call_element<it_t>(f, source[i]); },
                                 [&]() -> std::conditional_t<std::is_default_constructible_v<V>, V, T> {
                                     if constexpr (std::is_default_constructible_v<V>) return V{};
                                     else return init;
                                 });
        };
        auto body = [&](std::size_t begin, std::size_t end) {
            for (std::size_t first = begin; first < end; first += block) {
                partial[first / block].emplace(reduce_block<T>(element, op, first, std::min(end, first + block)));
            }
        };
        guard.share([&] { run_chunks(plain(local), in.count(), body, block); });
    });
    for (std::size_t b = 0; b < partial.size(); ++b) ::new (static_cast<void*>(mine + b)) T(std::move(*partial[b]));
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
    T* mine = partials.data() + per_rank_blocks.offset[me];
    mpi_guard<Local> guard(local, elements.offset[me]);
    const mpi_outcome computed = mpi_try([&] { mpi_reduce_share(local, in, block, partial, mine, f, op, guard, init); });
    clock.lap(&mpi_timings::compute);
    guard.agree(s, computed, n);
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
    const std::size_t offset = blocks.offset[me];
    mpi_guard<Local> guard(local, offset);
    const mpi_outcome computed = mpi_try([&] {
        check_options(local);
        auto body = [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) guard.element(i, [&] { f(offset + i); }, [] {});
        };
        guard.share([&] { run_chunks(plain(local), blocks.count[me], body); });
    });
    clock.lap(&mpi_timings::compute);
    guard.agree(s, computed, n);  // n is the root's: the check above passed on every rank
    clock.lap(&mpi_timings::wait);
}

template <class Local>
mpi_setup make_mpi_setup(const mpi_policy<Local>& policy) {
    return make_mpi_setup(policy.communicator(), policy.root_rank(), policy.gathers_to_all(), policy.timings_sink());
}

/// parmap::mpi's entry points, which the front-ends in parallel_map.hpp call.
template <class Local>
struct backend<mpi_policy<Local>> {
    using policy_type = mpi_policy<Local>;
    static constexpr bool moves_data = true;

    /// parallel_map: every result in input order on the root (on every rank with .gather_to_all()), an
    /// empty vector on the other ranks.
    template <class Range, class F>
    static auto run_map(const policy_type& p, Range& input, F& f) {
        if constexpr (check_mpi_map<Range, F>()) {
            return mpi_run_map<result_t<begin_t<Range>, F>>(make_mpi_setup(p), p.local(), input, f);
        } else {
            return std::vector<int>();  // only the messages of the checks
        }
    }

    /// The iterator form is not offered over MPI: its output would live in one process only.
    template <class InputIt, class OutputIt, class F>
    static OutputIt run_map_into(const policy_type&, InputIt, InputIt, OutputIt out, F&) {
        static_assert(dependent_false<F>,
                      "Note to the user: parmap::mpi offers the range form only: parallel_map(parmap::mpi(p), input, f) returns "
                      "the results on the root (or on every rank with .gather_to_all()). An Eigen matrix, which parallel_map "
                      "writes through the iterator form, goes as a std::vector of its coefficients.");
        return out;
    }

    /// parallel_for: every rank calls f(i) for its own contiguous share of [0, n).
    template <class F>
    static void run_for(const policy_type& p, std::size_t n, F& f) {
        if constexpr (check_not_as_values<Local, false>()) mpi_run_for(make_mpi_setup(p), p.local(), n, f);
    }

    /// parallel_map_reduce: the serial backend's bits on every rank. T must be trivially copyable.
    template <class Range, class F, class T, class Op>
    static T run_map_reduce(const policy_type& p, Range& input, F& f, T init, Op& op) {
        static_assert(std::is_trivially_copyable_v<T>,
                      "Note to the user: parmap::mpi sends the partial results of parallel_map_reduce between processes as "
                      "bytes, so init's type T must be trivially copyable.");
        constexpr bool callable = check_input<Range, F>() && check_reduction<begin_t<Range>, F, T, Op>();
        if constexpr (callable && check_mpi_elements<Range>() && std::is_trivially_copyable_v<T> && check_not_as_values<Local, true>()) {
            return mpi_run_map_reduce(make_mpi_setup(p), p.local(), input, f, std::move(init), op);
        } else {
            return init;  // only the messages of the checks
        }
    }
};

} // namespace detail
} // namespace parmap
