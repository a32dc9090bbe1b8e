// parmap conformance suite: what every test shares. The suite is written once and run on every CPU
// backend through TEMPLATE_LIST_TEST_CASE(..., conformance::backends); Catch2 names the instances
// "<name> - conformance::backends - 0" (serial), "- 1" (threads) and "- 2" (openmp).
//
// Expected values always come from a plain loop written in the test, never from parmap::serial
// (the one exception is the bitwise reduction check, which compares every backend to parmap::serial).
// Catch2's assertion macros are not thread-safe: code that runs inside f (on worker threads) only
// records what it sees; the test asserts on the calling thread after the call.
#pragma once

#include <parmap/parmap.hpp>
#if PARMAP_TEST_THRUST
#include <parmap/thrust.hpp>
#endif

#define CATCH_CONFIG_ENABLE_PAIR_STRINGMAKER
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace conformance {

// ---- the backends -------------------------------------------------------------------------------

struct serial_case {
    static constexpr const char* name = "serial";
    static auto policy() { return parmap::serial; }
};
struct threads_case {
    static constexpr const char* name = "threads";
    static auto policy() { return parmap::threads; }
};
struct openmp_case {
    static constexpr const char* name = "openmp";
    static auto policy() { return parmap::openmp; }
};

#if PARMAP_TEST_THRUST
struct thrust_case {
    static constexpr const char* name = "thrust";
    static auto policy() { return parmap::thrust; }
};
/// Index 0: serial, 1: threads, 2: openmp, 3: thrust on its OpenMP system (the suffix of each test's name).
using backends = std::tuple<serial_case, threads_case, openmp_case, thrust_case>;
#else
/// Index 0: serial, 1: threads, 2: openmp (the suffix of each test's name).
using backends = std::tuple<serial_case, threads_case, openmp_case>;
#endif

template <class Case>
inline constexpr bool is_serial = std::is_same_v<Case, serial_case>;

/// False for parmap::thrust, which keeps data in device memory: results must be trivially copyable
/// and default-constructible, f is not given element references, and nothing runs inline on the caller.
/// Tests of host-only types and of the CPU backends' threads check this and say why they skip.
template <class Case>
#if PARMAP_TEST_THRUST
inline constexpr bool is_host_backend = !std::is_same_v<Case, thrust_case>;
#else
inline constexpr bool is_host_backend = true;
#endif

/// Marks a test instance that does not apply to a device backend (and says so in the report).
#define CONFORMANCE_HOST_ONLY(why)                                                                               \
    if constexpr (!::conformance::is_host_backend<TestType>) {                                                    \
        SUCCEED("not for device backends: " why);                                                                 \
        return;                                                                                                   \
    } else

// ---- the option grid ----------------------------------------------------------------------------

// The grid is parmap's own list of configurations (<parmap/configurations.hpp>), the one parmap::verify runs,
// so a failure here names the same policy that verify would, and one list grows for both.

/// Chunkings every "all options" test runs: parmap::configurations::chunkings.
inline std::vector<parmap::chunks::chunking> chunkings() {
    return {parmap::configurations::chunkings.begin(), parmap::configurations::chunkings.end()};
}

/// `c` as code, e.g. "parmap::chunks::static_(7)".
inline std::string describe(parmap::chunks::chunking c) { return parmap::configurations::spelling(c); }

/// The worker counts every test runs, parmap::configurations::worker_counts (serial ignores them, and is run with them anyway).
#define CONFORMANCE_WORKERS() GENERATE(from_range(::parmap::configurations::worker_counts))
/// Every chunking of conformance::chunkings().
#define CONFORMANCE_CHUNKING() GENERATE(from_range(::conformance::chunkings()))
/// Names the running combination in every failure message, as the policy's code.
#define CONFORMANCE_INFO(workers, chunking)                                                                       \
    INFO("policy: " << ::parmap::configurations::spelling(::conformance::make_policy<TestType>((workers), (chunking))))

template <class Case>
auto make_policy(std::size_t workers, parmap::chunks::chunking chunking) {
    return Case::policy().workers(workers).chunk(chunking);
}

// ---- comparing results --------------------------------------------------------------------------

/// "" when `got` equals `want` element by element, else a short description of the first difference
/// (so that a failure does not print a million elements).
template <class Got, class Want>
std::string mismatch(const Got& got, const Want& want) {
    std::size_t n_got = static_cast<std::size_t>(std::distance(std::begin(got), std::end(got)));
    std::size_t n_want = static_cast<std::size_t>(std::distance(std::begin(want), std::end(want)));
    if (n_got != n_want) return "sizes differ: got " + std::to_string(n_got) + ", want " + std::to_string(n_want);
    auto g = std::begin(got);
    auto w = std::begin(want);
    for (std::size_t i = 0; i < n_got; ++i, ++g, ++w) {
        if (!(*g == *w)) {
            return "first difference at index " + std::to_string(i) + ": got " + Catch::Detail::stringify(*g) + ", want " +
                   Catch::Detail::stringify(*w);
        }
    }
    return "";
}

// ---- instance counting --------------------------------------------------------------------------

struct instance_stats {
    std::atomic<long> constructed{0};
    std::atomic<long> destroyed{0};
    std::atomic<long> bad_destroy{0};  // a destructor ran on an object that was not alive (double destroy)
    void reset() {
        constructed = 0;
        destroyed = 0;
        bad_destroy = 0;
    }
};

/// Counts every construction and destruction, and notices a destructor that runs twice on one object.
/// counted<true> is default-constructible; counted<false> has only a value constructor.
template <bool DefaultConstructible>
class counted {
public:
    static instance_stats& stats() {
        static instance_stats s;
        return s;
    }

    explicit counted(int value) : value_(value) { stats().constructed.fetch_add(1); }
    template <bool D = DefaultConstructible, std::enable_if_t<D, int> = 0>
    counted() : value_(-1) {
        stats().constructed.fetch_add(1);
    }
    counted(const counted& other) : value_(other.value_) { stats().constructed.fetch_add(1); }
    counted(counted&& other) noexcept : value_(other.value_) { stats().constructed.fetch_add(1); }
    counted& operator=(const counted& other) {
        value_ = other.value_;
        return *this;
    }
    counted& operator=(counted&& other) noexcept {
        value_ = other.value_;
        return *this;
    }
    ~counted() {
        if (magic_ != alive) stats().bad_destroy.fetch_add(1);
        magic_ = dead;
        stats().destroyed.fetch_add(1);
    }

    int value() const noexcept { return value_; }
    friend bool operator==(const counted& a, const counted& b) { return a.value_ == b.value_; }

private:
    static constexpr std::uint32_t alive = 0xC0FFEEu;
    static constexpr std::uint32_t dead = 0xDEADu;
    int value_;
    std::uint32_t magic_ = alive;
};

static_assert(std::is_default_constructible_v<counted<true>>);
static_assert(!std::is_default_constructible_v<counted<false>>);

/// A result type with only a value constructor (no default constructor).
struct value_only {
    explicit value_only(long v) : value(v) {}
    long value;
    friend bool operator==(const value_only& a, const value_only& b) { return a.value == b.value; }
};
static_assert(!std::is_default_constructible_v<value_only>);

// ---- exceptions ---------------------------------------------------------------------------------

/// What the tests throw from f: derived from std::exception, carrying the element index.
class test_error : public std::exception {
public:
    explicit test_error(std::size_t index) : index_(index), message_("test_error at element " + std::to_string(index)) {}
    const char* what() const noexcept override { return message_.c_str(); }
    std::size_t index() const noexcept { return index_; }

private:
    std::size_t index_;
    std::string message_;
};

inline std::string expected_message(std::size_t index) { return "test_error at element " + std::to_string(index); }

/// Indices recorded from several threads at once.
class index_log {
public:
    void add(std::size_t i) {
        std::lock_guard<std::mutex> lock(mutex_);
        indices_.push_back(i);
    }
    std::vector<std::size_t> sorted() const {
        std::lock_guard<std::mutex> lock(mutex_);
        std::vector<std::size_t> v = indices_;
        std::sort(v.begin(), v.end());
        return v;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::size_t> indices_;
};

}  // namespace conformance
