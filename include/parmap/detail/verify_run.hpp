// parmap::verify: running one configuration, timed, and keeping what it gave. On every policy whose
// elements run in this process, f is wrapped so that each element's exception is recorded with its index
// and every element runs; across processes (MPI) the call's own exception is what there is, and its
// message is what can be compared.
#pragma once

#include <parmap/configurations.hpp>
#include <parmap/detail/elements.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#if defined(__GNUG__)
#include <cstdlib>
#include <cxxabi.h>
#endif

namespace parmap::detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

inline constexpr std::size_t no_index = static_cast<std::size_t>(-1);

/// An exception as verify compares it: where it came from, its type's name and its message.
struct element_failure {
    std::size_t index = no_index;  // no_index: thrown by a whole call, the element unknown
    std::string type;
    std::string what;
    bool remote = false;  // crossed processes (MPI): only the message survived, not the type

    std::string text() const { return "threw " + (remote ? std::string("on another process") : type) + ": " + what; }
};

inline std::string readable_type_name(const std::type_info& type) {
#if defined(__GNUG__)
    int status = 0;
    char* name = abi::__cxa_demangle(type.name(), nullptr, nullptr, &status);
    std::string readable = status == 0 && name ? name : type.name();
    std::free(name);
    return readable;
#else
    return type.name();
#endif
}

/// The exception being handled (call inside a catch block).
inline element_failure current_failure(std::size_t index, bool remote = false) {
    try {
        throw;
    } catch (const std::exception& e) {
        return {index, readable_type_name(typeid(e)), e.what(), remote};
    } catch (...) {
#if defined(__GNUG__)
        const std::type_info* type = abi::__cxa_current_exception_type();
        return {index, type ? readable_type_name(*type) : "an unknown type", "(not a std::exception)", remote};
#else
        return {index, "a type not derived from std::exception", "(not a std::exception)", remote};
#endif
    }
}

/// Whether `got` is the failure the reference saw: the same index and type in this process; across
/// processes the message (the rank that failed prefixes its own, as parmap::mpi_error does).
inline bool same_failure(const element_failure& reference, const element_failure& got) {
    if (got.remote) {
        return got.what.size() >= reference.what.size() &&
               got.what.compare(got.what.size() - reference.what.size(), reference.what.size(), reference.what) == 0;
    }
    return got.index == reference.index && got.type == reference.type && (got.index != no_index || got.what == reference.what);
}

/// Failures recorded from several threads at once; rare, so a mutex is cheap enough.
class element_failures {
public:
    void add(element_failure f) {
        std::lock_guard<std::mutex> lock(mutex_);
        failures_.push_back(std::move(f));
    }
    std::vector<element_failure> sorted() {
        std::lock_guard<std::mutex> lock(mutex_);
        std::sort(failures_.begin(), failures_.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
        return std::move(failures_);
    }

private:
    std::mutex mutex_;
    std::vector<element_failure> failures_;
};

/// What one configuration's parallel_map gave: a value per element, which elements threw, or (MPI, or a
/// failure of the call itself) the call's exception.
template <class Stored>
struct map_outcome {
    std::vector<Stored> values;
    std::vector<element_failure> failures;
    std::optional<element_failure> call_failure;
    double seconds = 0;
};

template <class Stored>
decltype(auto) value_at(const std::vector<Stored>& values, std::size_t i) {
    if constexpr (is_optional<Stored>::value) {
        return *values[i];
    } else if constexpr (std::is_same_v<Stored, bool>) {
        return bool(values[i]);
    } else {
        return values[i];
    }
}

/// True for an MPI policy (it runs a local policy on each rank): MPI moves results as bytes.
template <class P, class = void>
inline constexpr bool runs_on_ranks_v = false;
template <class P>
inline constexpr bool runs_on_ranks_v<P, std::void_t<typename P::local_policy_type>> = true;

template <class P>
inline constexpr bool runs_in_process_v = !runs_on_ranks_v<P>;

/// True for parmap::thrust compiled by nvcc (<parmap/thrust.hpp> says which): its elements run on the GPU,
/// so f is given the input as the user gave it, unwrapped (device code cannot throw, nor reach host memory).
template <class P, class = void>
inline constexpr bool on_device_v = false;
template <class P>
inline constexpr bool on_device_v<P, std::enable_if_t<!runs_on_ranks_v<P>>> =
    std::is_same_v<typename P::backend_type, thrust_backend> && configurations::optional_backend<thrust_backend, P>::on_device;

/// parallel_map(policy, iota(n), f of element i), timed; f's exceptions recorded per element where the
/// elements run in this process. On a GPU: parallel_map(policy, input, f).
template <class Stored, class It, class P, class Range, class F>
map_outcome<Stored> run_map_configuration(const P& policy, Range& input, const element_source<It>& in, F& f) {
    const std::size_t n = range_size(input);
    map_outcome<Stored> out;
    element_failures log;
    auto element = [&](std::size_t i) -> Stored {
        if constexpr (runs_in_process_v<P>) {
            try {
                return Stored(call_element<It>(f, in[i]));
            } catch (...) {
                log.add(current_failure(i));
                return Stored{};
            }
        } else {
            return Stored(call_element<It>(f, in[i]));
        }
    };
    const auto start = std::chrono::steady_clock::now();
    try {
        if constexpr (on_device_v<P>) {
            out.values = parallel_map(policy, input, f);
        } else {
            out.values = parallel_map(policy, parmap::iota(n), element);
        }
    } catch (...) {
        out.call_failure = current_failure(no_index, !runs_in_process_v<P>);
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out.failures = log.sorted();
    return out;
}

/// What one configuration's parallel_map_reduce gave: its value or its exception.
template <class T>
struct reduce_outcome {
    std::optional<T> value;
    std::optional<element_failure> failure;
    double seconds = 0;
};

template <class T, class P, class Reduce>
reduce_outcome<T> run_reduce_configuration(const P& policy, Reduce& reduce) {
    reduce_outcome<T> out;
    const auto start = std::chrono::steady_clock::now();
    try {
        out.value.emplace(reduce(policy));
    } catch (...) {
        out.failure = current_failure(no_index, !runs_in_process_v<P>);
    }
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

} // namespace parmap::detail
