// parmap::verify: running one configuration and comparing what it gave with the serial reference. On
// every policy whose elements run in this process, f is wrapped so that each element's exception is
// recorded with its index and every element runs; across processes (MPI) the call's own exception is
// what there is, and its message is compared.
#pragma once

#include <parmap/configurations.hpp>
#include <parmap/detail/elements.hpp>
#include <parmap/detail/verify_compare.hpp>
#include <parmap/detail/verify_report.hpp>
#include <parmap/device.hpp>
#include <parmap/parallel_map.hpp>
#include <parmap/policy.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
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
class failure_log {
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

template <class P>
inline constexpr bool runs_in_process_v = is_policy_v<P>;

/// True for parmap::thrust compiled by nvcc (<parmap/thrust.hpp> says which): its elements run on the GPU,
/// so f is given the input as the user gave it, unwrapped (device code cannot throw, nor reach host memory).
template <class P, class = void>
inline constexpr bool on_device_v = false;
template <class P>
inline constexpr bool on_device_v<P, std::enable_if_t<is_policy_v<P>>> =
    std::is_same_v<typename P::backend_type, thrust_backend> && configurations::optional_backend<thrust_backend, P>::on_device;

/// parallel_map(policy, iota(n), f of element i), timed; f's exceptions recorded per element where the
/// elements run in this process. On a GPU: parallel_map(policy, input, f).
template <class Stored, class It, class P, class Range, class F>
map_outcome<Stored> run_map_configuration(const P& policy, Range& input, const element_source<It>& in, F& f) {
    const std::size_t n = range_size(input);
    map_outcome<Stored> out;
    failure_log log;
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
/// memory-bound map) and only blocks that differ element by element. A callable of the user's is called for
/// every element, on parmap::threads (so it may be called from several threads at once).
template <class Stored, class Compare>
bool all_agree(const std::vector<Stored>& a, const std::vector<Stored>& b, Compare& compare) {
    const std::size_t n = a.size();
    if constexpr (is_builtin_comparison_v<Compare> && !std::is_same_v<Stored, bool> &&
                  (is_bits_float_v<Stored> || std::has_unique_object_representations_v<Stored>)) {
        const std::size_t block = 4096;
        for (std::size_t first = 0; first < n; first += block) {
            const std::size_t last = std::min(n, first + block);
            if (std::memcmp(a.data() + first, b.data() + first, (last - first) * sizeof(Stored)) == 0) continue;
            if constexpr (std::is_same_v<Compare, parmap::compare::bitwise>) {
                return false;
            } else {
                for (std::size_t i = first; i < last; ++i) {
                    if (!compare(a[i], b[i])) return false;
                }
            }
        }
        return true;
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
