// parmap over MPI: the local policy's error option (errors.hpp) across the ranks. Each rank runs its share
// under it, recording each failed element at its index in the whole input; afterwards the ranks exchange
// their failures as records (index, rank, exception type name, message: exceptions cannot cross
// processes) with one MPI_Allgather of sizes and one MPI_Allgatherv of bytes, so that every rank holds the
// same list, sorted by index, each exception a parmap::remote_error, and throws the same parmap::errors.
// Used by backend/mpi.hpp; the public API is <parmap/mpi.hpp>.
#pragma once

#include <parmap/detail/error_policy.hpp>
#include <parmap/detail/mpi_transfer.hpp>
#include <parmap/errors.hpp>
#include <parmap/mpi_error.hpp>

#include <algorithm>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#if __has_include(<cxxabi.h>)
#include <cxxabi.h>
#endif

namespace parmap::detail {

/// The type name of the exception in `e`, demangled where the C++ runtime offers abi::__cxa_demangle.
inline std::string exception_type_name(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (...) {
#if __has_include(<cxxabi.h>)
        const std::type_info* type = abi::__cxa_current_exception_type();
        if (type == nullptr) return "unknown";
        int status = 0;
        std::unique_ptr<char, void (*)(void*)> name(abi::__cxa_demangle(type->name(), nullptr, nullptr, &status), std::free);
        return status == 0 && name != nullptr ? std::string(name.get()) : std::string(type->name());
#else
        try {
            throw;
        } catch (const std::exception& x) {
            return typeid(x).name();
        } catch (...) {
            return "unknown";
        }
#endif
    }
}

/// The fixed part of one failure's record; its type name and message follow it as bytes.
struct mpi_failure_head {
    std::uint64_t index;
    std::int64_t rank;
    std::uint64_t type_bytes;
    std::uint64_t message_bytes;
};

/// This rank's failures as records, one after another.
inline std::string pack_failures(int rank, const std::vector<failure>& failures) {
    std::string out;
    for (const failure& f : failures) {
        const std::string type = exception_type_name(f.exception).substr(0, mpi_max_message);
        const std::string message = errors::message_of(f.exception).substr(0, mpi_max_message);
        const mpi_failure_head head{f.index, rank, type.size(), message.size()};
        out.append(reinterpret_cast<const char*>(&head), sizeof head).append(type).append(message);
    }
    return out;
}

/// Every rank's records back as failures, each a parmap::remote_error; this rank's own (`mine`, in the
/// order it packed them) keep the original exception as the remote_error's local_exception().
inline std::vector<failure> unpack_failures(const std::string& records, int rank, const std::vector<failure>& mine) {
    std::vector<failure> out;
    std::size_t own = 0;
    for (std::size_t at = 0; at < records.size();) {
        mpi_failure_head head{};
        std::memcpy(&head, records.data() + at, sizeof head);
        at += sizeof head;
        const std::string type = records.substr(at, head.type_bytes);
        const std::string message = records.substr(at + head.type_bytes, head.message_bytes);
        at += head.type_bytes + head.message_bytes;
        const int from = static_cast<int>(head.rank);
        const std::exception_ptr local = from == rank ? mine[own++].exception : nullptr;
        out.push_back({static_cast<std::size_t>(head.index), std::make_exception_ptr(remote_error(from, type, message, local)), from});
    }
    std::sort(out.begin(), out.end(), [](const failure& a, const failure& b) { return a.index < b.index; });
    return out;
}

/// Collective: every rank's failures, on every rank, sorted by index. Throws std::length_error on every
/// rank when their records together exceed one MPI message (INT_MAX bytes).
inline std::vector<failure> mpi_share_failures(const mpi_setup& s, const std::vector<failure>& mine) {
    const std::string packed = pack_failures(s.rank, mine);
    const std::int64_t own_bytes = static_cast<std::int64_t>(packed.size());
    std::vector<std::int64_t> bytes(static_cast<std::size_t>(s.ranks));
    mpi_call(MPI_Allgather(&own_bytes, 1, MPI_INT64_T, bytes.data(), 1, MPI_INT64_T, s.comm), "MPI_Allgather");
    std::vector<int> counts, displs;
    std::int64_t total = 0;
    for (const std::int64_t b : bytes) {
        displs.push_back(static_cast<int>(total));
        counts.push_back(static_cast<int>(b));
        total += b;
        if (total > INT_MAX) {
            throw std::length_error("parmap::mpi: the ranks' failure records exceed one MPI message (2 GiB): "
                                    "limit them with .max_errors(k)");
        }
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    mpi_call(MPI_Allgatherv(packed.data(), static_cast<int>(own_bytes), MPI_BYTE, all.data(), counts.data(), displs.data(), MPI_BYTE,
                            s.comm),
             "MPI_Allgatherv");
    return unpack_failures(all, s.rank, mine);
}

/// One rank's share of a call under its local policy's error option: each element's call retried as
/// `.retries` says and, under collect and as_values, its failure recorded at its index in the whole input
/// (`offset` + its index in the share). A rank stops after `.max_errors(k)` failures of its own; the
/// ranks do not stop each other (best effort: that would need a message in the middle of the work).
template <class Local>
class mpi_guard {
    using errors_type = typename Local::errors_type;
    using mode = typename errors_type::mode;

public:
    static constexpr bool catches = !std::is_same_v<mode, on_error::fail_fast_t>;
    static constexpr bool as_values = std::is_same_v<mode, on_error::as_values_t>;

    mpi_guard(const Local& local, std::size_t offset) : e_(local.error_option()), log_(e_.max_errors), offset_(offset) {}

    /// call() for element i of the share; under collect and as_values a failure is recorded and
    /// fallback() returned instead (call's value is converted to fallback's type there).
    template <class Call, class Fallback>
    decltype(auto) element(std::size_t i, Call&& call, Fallback&& fallback) {
        if constexpr (!catches) {
            return with_retries(e_, call);
        } else {
            try {
                return static_cast<decltype(fallback())>(with_retries(e_, call));
            } catch (...) {
                log_.record(offset_ + i);  // rethrows the k-th failure, to stop this rank's share
                return fallback();
            }
        }
    }

    /// Runs the share; a rank that reached `.max_errors(k)` leaves it quietly (agree() tells the others).
    template <class Share>
    void share(Share&& run) {
        check_error_options(e_);
        try {
            run();
        } catch (...) {
            if (!catches || !log_.limit_reached()) throw;
        }
    }

    /// Collective, after every rank's share: throws parmap::mpi_error on every rank if any share failed
    /// as a whole (mpi_agree), else every failure of the call, the same on every rank, sorted by index and
    /// cut to the k lowest under `.max_errors(k)`. Throws those as parmap::errors on every rank under
    /// collect when there are any, under as_values when there are k (the limit was reached).
    std::vector<failure> agree(const mpi_setup& s, const mpi_outcome& shared, std::size_t n) {
        mpi_agree(s, shared);
        if constexpr (!catches) {
            return {};
        } else {
            std::vector<failure> all = mpi_share_failures(s, log_.take());
            if (all.size() > e_.max_errors) all.resize(e_.max_errors);
            if (as_values ? all.size() >= e_.max_errors : !all.empty()) throw errors(std::move(all), n);
            return all;
        }
    }

    /// A map's results on a rank that holds them: `values` itself, or under as_values each one a
    /// parmap::result<R>, failed where `failed` (sorted, indices into values) says.
    template <class R>
    auto results(std::vector<R> values, const std::vector<failure>& failed) const {
        if constexpr (!as_values) {
            return values;
        } else {
            std::vector<result<R>> out;
            out.reserve(values.size());
            auto next = failed.begin();
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (next != failed.end() && next->index == i) out.emplace_back((next++)->exception);
                else out.emplace_back(std::move(values[i]));
            }
            return out;
        }
    }

private:
    const errors_type& e_;
    failure_log log_;
    std::size_t offset_;
};

} // namespace parmap::detail
