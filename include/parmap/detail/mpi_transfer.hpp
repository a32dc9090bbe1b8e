// parmap over MPI: how the ranks move bytes and agree. Blocks of trivially copyable elements travel as
// MPI_BYTE between the root and the other ranks (one collective, or point-to-point messages of at most
// INT_MAX bytes for larger transfers); every rank reports the outcome of each step of a call (one
// MPI_Allreduce of the lowest failing rank, then a broadcast of its message), so that a failure anywhere
// becomes the same parmap::mpi_error everywhere and no rank is left waiting in a collective.
// Used by backend/mpi.hpp; the public API is <parmap/mpi.hpp>.
#pragma once

#ifndef OMPI_SKIP_MPICXX
#define OMPI_SKIP_MPICXX 1  // Open MPI's deprecated C++ bindings: not needed, and noisy under -Wall
#endif
#ifndef MPICH_SKIP_MPICXX
#define MPICH_SKIP_MPICXX 1
#endif
#include <mpi.h>

#include <parmap/detail/schedule.hpp>
#include <parmap/mpi_error.hpp>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace parmap {

namespace detail {

/// Bytes per MPI message, at most INT_MAX (MPI counts are int). A transfer whose total exceeds it is
/// split into point-to-point messages of at most this size. Tests lower it to exercise that path.
inline std::size_t mpi_message_bytes = static_cast<std::size_t>(INT_MAX);

/// Tag of the split transfers' point-to-point messages (collectives never match point-to-point ones).
inline constexpr int mpi_split_tag = 0x706d;  // "pm"

/// Longest failure message sent between ranks.
inline constexpr std::size_t mpi_max_message = 4096;

/// Where a call runs: communicator, root, this rank, how many ranks, and whether results go to all.
struct mpi_setup {
    MPI_Comm comm;
    int root;
    int rank;
    int ranks;
    bool to_all;
    mpi_timings* timings;  ///< null unless the policy asked for them
};

/// Adds the time since the previous lap to one phase of the call's timings (nothing when none were asked for).
class mpi_stopwatch {
public:
    explicit mpi_stopwatch(mpi_timings* timings) : timings_(timings), last_(timings != nullptr ? MPI_Wtime() : 0.0) {
        if (timings_ != nullptr) *timings_ = mpi_timings{};
    }
    void lap(double mpi_timings::*phase) {
        if (timings_ == nullptr) return;
        const double now = MPI_Wtime();
        timings_->*phase += now - last_;
        last_ = now;
    }

private:
    mpi_timings* timings_;
    double last_;
};

inline void mpi_call(int code, const char* what) {
    if (code == MPI_SUCCESS) return;  // only reached under MPI_ERRORS_RETURN: the default handler aborts
    char text[MPI_MAX_ERROR_STRING] = {};
    int length = 0;
    MPI_Error_string(code, text, &length);
    throw std::runtime_error(std::string("parmap::mpi: ") + what + " failed: " + text);
}

/// The setup for a call on `comm` rooted at `root`; a clear exception when MPI is not running or the root
/// is not a rank of comm (every rank passes the same root, so every rank throws the same).
inline mpi_setup make_mpi_setup(MPI_Comm comm, int root, bool to_all, mpi_timings* timings) {
    int initialised = 0, finalised = 0;
    MPI_Initialized(&initialised);
    MPI_Finalized(&finalised);
    if (!initialised || finalised) {
        throw std::logic_error(std::string("parmap::mpi: MPI is ") + (finalised ? "already finalised" : "not initialised") +
                               ": call MPI_Init_thread (or create a parmap::mpi_session) before any parmap::mpi call, "
                               "and MPI_Finalize after the last one");
    }
    if (comm == MPI_COMM_NULL) throw std::invalid_argument("parmap::mpi: .comm(MPI_COMM_NULL) is not a communicator");
    mpi_setup s{comm, root, 0, 1, to_all, timings};
    mpi_call(MPI_Comm_rank(comm, &s.rank), "MPI_Comm_rank");
    mpi_call(MPI_Comm_size(comm, &s.ranks), "MPI_Comm_size");
    if (root < 0 || root >= s.ranks) {
        throw std::invalid_argument("parmap::mpi: .root(" + std::to_string(root) + ") is not a rank of the communicator (0 to " +
                                    std::to_string(s.ranks - 1) + ")");
    }
    return s;
}

/// What one rank's step gave: nothing, or the message (and exception) of its failure.
struct mpi_outcome {
    bool failed = false;
    std::string message;
    std::exception_ptr exception;
};

/// Runs step() and records its exception instead of letting it leave: the other ranks must hear of it first.
template <class Step>
mpi_outcome mpi_try(Step&& step) {
    mpi_outcome outcome;
    try {
        step();
    } catch (const std::exception& e) {
        outcome = {true, e.what(), std::current_exception()};
    } catch (...) {
        outcome = {true, "an exception of a type not derived from std::exception", std::current_exception()};
    }
    return outcome;
}

/// Every rank calls this at the same point with its own outcome. When any rank failed, every rank throws
/// mpi_error naming the lowest failing rank and its message; otherwise it returns on every rank.
inline void mpi_agree(const mpi_setup& s, const mpi_outcome& mine) {
    int candidate = mine.failed ? s.rank : s.ranks, lowest = s.ranks;
    mpi_call(MPI_Allreduce(&candidate, &lowest, 1, MPI_INT, MPI_MIN, s.comm), "MPI_Allreduce");
    if (lowest == s.ranks) return;
    std::string message = s.rank == lowest ? mine.message.substr(0, mpi_max_message) : std::string();
    int length = static_cast<int>(message.size());
    mpi_call(MPI_Bcast(&length, 1, MPI_INT, lowest, s.comm), "MPI_Bcast");
    message.resize(static_cast<std::size_t>(length));
    mpi_call(MPI_Bcast(message.data(), length, MPI_CHAR, lowest, s.comm), "MPI_Bcast");
    throw mpi_error(lowest, s.ranks, message, s.rank == lowest ? mine.exception : nullptr);
}

/// Storage for n trivially copyable T that MPI fills with bytes: no constructor runs, alignment is T's.
template <class T>
class mpi_buffer {
public:
    mpi_buffer() noexcept = default;
    explicit mpi_buffer(std::size_t n) : data_(n != 0 ? std::allocator<T>().allocate(n) : nullptr), size_(n) {}
    mpi_buffer(mpi_buffer&& other) noexcept : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
    mpi_buffer& operator=(mpi_buffer&& other) noexcept {
        std::swap(data_, other.data_);
        std::swap(size_, other.size_);
        return *this;
    }
    ~mpi_buffer() {
        if (data_ != nullptr) std::allocator<T>().deallocate(data_, size_);
    }
    T* data() noexcept { return data_; }
    const T* data() const noexcept { return data_; }

private:
    T* data_ = nullptr;
    std::size_t size_ = 0;
};

/// The elements of [0, n) that each rank holds, in rank order: offset[r] and count[r].
struct mpi_blocks {
    std::vector<std::size_t> offset, count;
};

/// Near-equal contiguous blocks of n elements over `ranks` ranks (the first n % ranks get one more).
inline mpi_blocks even_blocks(std::size_t n, int ranks) {
    const std::size_t r = static_cast<std::size_t>(ranks);
    mpi_blocks b{std::vector<std::size_t>(r), std::vector<std::size_t>(r)};
    for (std::size_t i = 0, at = 0; i < r; ++i) {
        b.offset[i] = at;
        b.count[i] = n / r + (i < n % r ? 1 : 0);
        at += b.count[i];
    }
    return b;
}

/// Blocks for parallel_map_reduce: each rank holds whole reduction blocks of `block` elements (the last
/// one may be short), so every block is reduced on one rank exactly as the serial backend reduces it.
/// Also returns each rank's first block and block count in `first_block` / `blocks`.
inline mpi_blocks reduction_blocks(std::size_t n, std::size_t block, int ranks, mpi_blocks& per_rank_blocks) {
    per_rank_blocks = even_blocks(ceil_div(n, block), ranks);
    const std::size_t r = static_cast<std::size_t>(ranks);
    mpi_blocks b{std::vector<std::size_t>(r), std::vector<std::size_t>(r)};
    for (std::size_t i = 0; i < r; ++i) {
        b.offset[i] = std::min(n, per_rank_blocks.offset[i] * block);
        b.count[i] = std::min(n, (per_rank_blocks.offset[i] + per_rank_blocks.count[i]) * block) - b.offset[i];
    }
    return b;
}

/// Moves blocks of `bytes`-byte elements between the root and the other ranks. Transfers of at most
/// mpi_message_bytes in all use one collective; larger ones are split into point-to-point messages.
class mpi_mover {
public:
    mpi_mover(const mpi_setup& s, const mpi_blocks& blocks, std::size_t bytes) : s_(s), blocks_(blocks), bytes_(bytes) {
        const std::size_t total = blocks.offset.back() + blocks.count.back();
        collective_ = total <= mpi_message_bytes / std::max<std::size_t>(bytes, 1);
        if (collective_) {
            for (std::size_t i = 0; i < blocks.count.size(); ++i) {
                counts_.push_back(static_cast<int>(blocks.count[i] * bytes));
                displs_.push_back(static_cast<int>(blocks.offset[i] * bytes));
            }
        }
    }

    /// Root: `all` holds every block (its own stays where it is). Others: receive their block into `mine`.
    void scatter(const void* all, void* mine) const {
        if (collective_) {
            if (is_root()) {
                mpi_call(MPI_Scatterv(all, counts_.data(), displs_.data(), MPI_BYTE, MPI_IN_PLACE, 0, MPI_BYTE, s_.root, s_.comm),
                         "MPI_Scatterv");
            } else {
                mpi_call(MPI_Scatterv(nullptr, nullptr, nullptr, MPI_BYTE, mine, own_count(), MPI_BYTE, s_.root, s_.comm),
                         "MPI_Scatterv");
            }
        } else if (is_root()) {
            for (int r = 0; r < s_.ranks; ++r) {
                if (r != s_.root) send(static_cast<const char*>(all) + offset_bytes(r), count_bytes(r), r);
            }
        } else {
            receive(static_cast<char*>(mine), count_bytes(s_.rank), s_.root);
        }
    }

    /// Others: send their block from `mine`. Root: receive every block into `all` (its own is already there).
    void gather(const void* mine, void* all) const {
        if (collective_) {
            if (is_root()) {
                mpi_call(MPI_Gatherv(MPI_IN_PLACE, 0, MPI_BYTE, all, counts_.data(), displs_.data(), MPI_BYTE, s_.root, s_.comm),
                         "MPI_Gatherv");
            } else {
                mpi_call(MPI_Gatherv(mine, own_count(), MPI_BYTE, nullptr, nullptr, nullptr, MPI_BYTE, s_.root, s_.comm),
                         "MPI_Gatherv");
            }
        } else if (is_root()) {
            for (int r = 0; r < s_.ranks; ++r) {
                if (r != s_.root) receive(static_cast<char*>(all) + offset_bytes(r), count_bytes(r), r);
            }
        } else {
            send(static_cast<const char*>(mine), count_bytes(s_.rank), s_.root);
        }
    }

    /// Every rank: `all` holds its own block in place and receives everyone else's.
    void all_gather(void* all) const {
        if (collective_) {
            mpi_call(MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_BYTE, all, counts_.data(), displs_.data(), MPI_BYTE, s_.comm),
                     "MPI_Allgatherv");
            return;
        }
        gather(static_cast<const char*>(all) + offset_bytes(s_.rank), all);
        const std::size_t total = offset_bytes(s_.ranks - 1) + count_bytes(s_.ranks - 1);
        for (std::size_t at = 0; at < total; at += mpi_message_bytes) {
            mpi_call(MPI_Bcast(static_cast<char*>(all) + at, piece(total - at), MPI_BYTE, s_.root, s_.comm), "MPI_Bcast");
        }
    }

private:
    bool is_root() const noexcept { return s_.rank == s_.root; }
    int own_count() const noexcept { return counts_[static_cast<std::size_t>(s_.rank)]; }
    std::size_t offset_bytes(int r) const noexcept { return blocks_.offset[static_cast<std::size_t>(r)] * bytes_; }
    std::size_t count_bytes(int r) const noexcept { return blocks_.count[static_cast<std::size_t>(r)] * bytes_; }
    static int piece(std::size_t left) noexcept { return static_cast<int>(std::min(left, mpi_message_bytes)); }

    void send(const char* data, std::size_t bytes, int to) const {
        for (std::size_t at = 0; at < bytes; at += mpi_message_bytes) {
            mpi_call(MPI_Send(data + at, piece(bytes - at), MPI_BYTE, to, mpi_split_tag, s_.comm), "MPI_Send");
        }
    }
    void receive(char* data, std::size_t bytes, int from) const {
        for (std::size_t at = 0; at < bytes; at += mpi_message_bytes) {
            mpi_call(MPI_Recv(data + at, piece(bytes - at), MPI_BYTE, from, mpi_split_tag, s_.comm, MPI_STATUS_IGNORE), "MPI_Recv");
        }
    }

    const mpi_setup& s_;
    const mpi_blocks& blocks_;
    std::size_t bytes_;
    bool collective_ = false;
    std::vector<int> counts_, displs_;
};

} // namespace detail
} // namespace parmap
