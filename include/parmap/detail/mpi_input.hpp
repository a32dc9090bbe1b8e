// parmap over MPI: a call's input as each rank sees it. The root broadcasts the input's size (and an index
// range's first value); each rank then holds one contiguous block of it: the root reads its own block in
// the input itself, the other ranks read what the scatter delivered, and index ranges (parmap::iota) are
// recomputed from their bounds, so no rank ever sends an index. Also the compile-time checks that the
// elements and f's results can travel as bytes. Used by backend/mpi.hpp.
#pragma once

#include <parmap/detail/checks.hpp>
#include <parmap/detail/elements.hpp>
#include <parmap/detail/mpi_transfer.hpp>
#include <parmap/ranges.hpp>

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <new>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace parmap::detail {

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

/// True when the input's elements travel as bytes; else the first error says so.
template <class Range>
constexpr auto check_mpi_elements() {
    using V = std::remove_cv_t<typename std::iterator_traits<begin_t<Range>>::value_type>;
    static_assert(std::is_trivially_copyable_v<V>,
                  "Note to the user: parmap::mpi sends the input's elements between processes as bytes, so they must be "
                  "trivially copyable (numbers, plain structs, std::array of them; not std::string, not parmap::zip).");
    return std::is_trivially_copyable_v<V>;
}

/// True when parallel_map over MPI can run f over Range; else the first error says what must hold.
template <class Range, class F>
constexpr auto check_mpi_map() {
    using It = begin_t<Range>;
    constexpr bool callable = check_input<Range, F>() && check_result<It, F>();
    if constexpr (!callable || !check_mpi_elements<Range>()) {
        return false;
    } else {
        using R = result_t<It, F>;
        using V = std::remove_cv_t<typename std::iterator_traits<It>::value_type>;
        static_assert(std::is_trivially_copyable_v<R>,
                      "Note to the user: parmap::mpi sends f's results between processes as bytes, so f must return a "
                      "trivially copyable type (numbers, plain structs, std::array of them; not std::string or std::vector).");
        static_assert(std::is_invocable_v<F&, V&> || is_iota_v<Range>,
                      "Note to the user: on ranks other than the root, parmap::mpi calls f with an lvalue copy of the element "
                      "(V&): f must accept one.");
        return std::is_trivially_copyable_v<R> && (std::is_invocable_v<F&, V&> || is_iota_v<Range>);
    }
}

} // namespace parmap::detail
