// parmap::verify and verify_reduce: every configuration runs, differences are found and counted bit for
// bit (or as the comparison says), exceptions compare by index and type, and the report says so. The
// expected configurations are written out here, not taken from <parmap/configurations.hpp>.
// Functions that differ on purpose differ by thread: on the calling thread they give one answer, on any
// other thread another, so serial (and workers(1)) agree and a team of two that splits the input does not.
#include "common.hpp"

#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <set>
#include <sstream>
#include <stdexcept>

using namespace conformance;

namespace {

constexpr std::size_t n = 1000;

#if PARMAP_TEST_THRUST
constexpr std::size_t thrust_configurations = 4;
#else
constexpr std::size_t thrust_configurations = 0;
#endif

/// The configurations' code, written out: serial, then threads and openmp at 1, 2, 3, 8 workers x 7 chunkings.
std::vector<std::string> expected_policies() {
    const char* chunkings[] = {"", ".chunk(parmap::chunks::automatic(5))", ".chunk(parmap::chunks::static_(0))",
                               ".chunk(parmap::chunks::static_(7))", ".chunk(parmap::chunks::dynamic(7))",
                               ".chunk(parmap::chunks::guided(7))", ".chunk(parmap::chunks::dynamic(1))"};
    std::vector<std::string> all{"parmap::serial (the reference)"};
    for (const char* backend : {"parmap::threads", "parmap::openmp"}) {
        for (int w : {1, 2, 3, 8}) {
            for (const char* c : chunkings) all.push_back(std::string(backend) + ".workers(" + std::to_string(w) + ")" + c);
        }
    }
    for (int w : {1, 2, 3, 8}) {
        if (thrust_configurations != 0) all.push_back("parmap::thrust.workers(" + std::to_string(w) + ")");
    }
    return all;
}

const parmap::verify_report::configuration& line(const parmap::verify_report& r, const std::string& policy) {
    for (const auto& c : r.configurations()) {
        if (c.policy == policy) return c;
    }
    throw std::runtime_error("no configuration " + policy + " in the report");
}

std::string text(const parmap::verify_report& r) {
    std::ostringstream s;
    s << r;
    return s.str();
}

const std::string split_in_two = "parmap::openmp.workers(2).chunk(parmap::chunks::static_(0))";  // half runs on another thread

double nan_with_payload(std::uint64_t payload) {
    const std::uint64_t bits = 0x7ff8000000000000ull | payload;
    double x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

}  // namespace

TEST_CASE("verify runs every configuration once per element and a pure f agrees everywhere", "[verify]") {
    std::atomic<long> calls{0};
    const auto report = parmap::verify(parmap::iota(n), [&](std::size_t i) {
        calls.fetch_add(1);
        return std::sqrt(static_cast<double>(i)) * 1.1;
    });
    INFO(report);
    CHECK(report.ok());
    CHECK(static_cast<bool>(report));
    CHECK_NOTHROW(report.require());
    std::vector<std::string> got;
    for (const auto& c : report.configurations()) got.push_back(c.policy);
    CHECK(got == expected_policies());
    CHECK(calls.load() == static_cast<long>(n * expected_policies().size()));
    CHECK(report.seconds() >= report.configuration_seconds());
    CHECK(text(report).find("all agree") != std::string::npos);
}

TEST_CASE("verify compares floating point by bits: -0.0 and NaN payloads differ, ulps(0) treats them as equal", "[verify]") {
    const std::thread::id caller = std::this_thread::get_id();
    auto f = [caller](std::size_t i) {
        const bool here = std::this_thread::get_id() == caller;
        if (i % 2 == 0) return here ? 0.0 : -0.0;
        return nan_with_payload(here ? 1 : 2);
    };
    const auto report = parmap::verify(parmap::iota(n), f);
    INFO(report);
    CHECK(!report.ok());
    CHECK(line(report, "parmap::threads.workers(1)").ok());
    CHECK(line(report, "parmap::openmp.workers(1).chunk(parmap::chunks::static_(0))").ok());
    const auto& split = line(report, split_in_two);
    REQUIRE(split.differing == n / 2);  // the second half ran on the other thread
    REQUIRE(split.first.size() == 10);
    CHECK(split.first[0].index == n / 2);
    CHECK(split.first[0].reference == "0");
    CHECK(split.first[0].got == "-0");
    CHECK(split.first[0].ulps == "0");
    CHECK(split.first[1].reference == "nan(0x7ff8000000000001)");
    CHECK(split.first[1].got == "nan(0x7ff8000000000002)");
    CHECK(split.first[1].ulps == "-");
    CHECK_THROWS_AS(report.require(), parmap::verify_error);
    CHECK(parmap::verify(parmap::iota(n), f, parmap::compare::ulps(0)).ok());
}

TEST_CASE("verify reports the ULP distance, and ulps, tolerance and a callable accept what they should", "[verify]") {
    const std::thread::id caller = std::this_thread::get_id();
    auto f = [caller](std::size_t i) {
        const double x = 1.0 + static_cast<double>(i);
        return std::this_thread::get_id() == caller ? x : std::nextafter(std::nextafter(x, 1e9), 1e9);
    };
    const auto bitwise = parmap::verify(parmap::iota(n), f);
    const auto& split = line(bitwise, split_in_two);
    REQUIRE(!split.first.empty());
    CHECK(split.first[0].ulps == "2");
    CHECK(!parmap::verify(parmap::iota(n), f, parmap::compare::ulps(1)).ok());
    CHECK(parmap::verify(parmap::iota(n), f, parmap::compare::ulps(2)).ok());
    CHECK(parmap::verify(parmap::iota(n), f, parmap::compare::tolerance(0.0, 1e-14)).ok());
    CHECK(!parmap::verify(parmap::iota(n), f, parmap::compare::tolerance(1e-300, 0.0)).ok());
    CHECK(parmap::verify(parmap::iota(n), f, [](double a, double b) { return std::fabs(a - b) < 1e-9; }).ok());
}

TEST_CASE("verify counts every differing element and keeps the first ten", "[verify]") {
    auto odd_differs = [](long reference, long) { return reference % 2 == 0; };
    const auto report = parmap::verify(parmap::iota(n), [](std::size_t i) { return static_cast<long>(i); }, odd_differs);
    const auto& first = report.configurations().front();
    CHECK(first.ok());  // the reference itself
    for (std::size_t k = 1; k < report.configurations().size(); ++k) {
        const auto& c = report.configurations()[k];
        INFO(c.policy);
        CHECK(c.differing == n / 2);
        REQUIRE(c.first.size() == 10);
        for (std::size_t d = 0; d < 10; ++d) CHECK(c.first[d].index == 2 * d + 1);
    }
    try {
        report.require();
        FAIL("require() did not throw");
    } catch (const parmap::verify_error& e) {
        CHECK(std::string(e.what()).find("DIFFERS") != std::string::npos);
        CHECK(std::string(e.what()).find("ok ") == std::string::npos);  // only the configurations that differ
    }
}

TEST_CASE("verify compares exceptions by the lowest failing index and type", "[verify]") {
    const std::thread::id caller = std::this_thread::get_id();
    auto same_everywhere = [](std::size_t i) {
        if (i % 97 == 5) throw test_error(i);
        return i;
    };
    const auto agree = parmap::verify(parmap::iota(n), same_everywhere);
    INFO(agree);
    CHECK(agree.ok());

    auto type_by_thread = [caller](std::size_t i) {
        if (i == n - 1) {
            if (std::this_thread::get_id() == caller) throw test_error(i);
            throw std::runtime_error("test_error at element " + std::to_string(i));
        }
        return i;
    };
    const auto differ = parmap::verify(parmap::iota(n), type_by_thread);
    const auto& split = line(differ, split_in_two);
    REQUIRE(split.differing == 1);
    CHECK(split.first[0].index == n - 1);
    CHECK(split.first[0].reference.find("threw") != std::string::npos);
    CHECK(split.first[0].reference.find("test_error") != std::string::npos);
    CHECK(split.first[0].got.find("std::runtime_error") != std::string::npos);

    auto only_elsewhere = [caller](std::size_t i) {
        if (std::this_thread::get_id() != caller && i == n - 2) throw test_error(i);
        return i;
    };
    const auto elsewhere_report = parmap::verify(parmap::iota(n), only_elsewhere);
    const auto& elsewhere = line(elsewhere_report, split_in_two);
    REQUIRE(elsewhere.differing == 1);
    CHECK(elsewhere.first[0].reference == std::to_string(n - 2));
    CHECK(elsewhere.first[0].got.find("threw") != std::string::npos);
}

TEST_CASE("a non-deterministic f shows as differences and the hint points to <parmap/random.hpp>", "[verify]") {
    std::atomic<long> counter{0};
    const auto report = parmap::verify(parmap::iota(n), [&](std::size_t) { return counter.fetch_add(1); });
    CHECK(!report.ok());
    CHECK(text(report).find("<parmap/random.hpp>") != std::string::npos);
}

TEST_CASE("verify of an empty input agrees and never calls f", "[verify]") {
    std::atomic<long> calls{0};
    const auto report = parmap::verify(std::vector<double>{}, [&](double x) {
        calls.fetch_add(1);
        return x;
    });
    CHECK(report.ok());
    CHECK(report.configurations().size() == expected_policies().size());
    CHECK(calls.load() == 0);
}

TEST_CASE("verify copies a single-pass input once", "[verify]") {
    std::istringstream numbers("4 8 15 16 23 42");
    struct once {
        std::istream_iterator<int> first, last;
        std::istream_iterator<int> begin() const { return first; }
        std::istream_iterator<int> end() const { return last; }
    };
    std::atomic<long> calls{0};
    const auto report = parmap::verify(once{std::istream_iterator<int>(numbers), {}}, [&](int x) {
        calls.fetch_add(1);
        return x * 2;
    });
    CHECK(report.ok());
    CHECK(calls.load() == static_cast<long>(6 * expected_policies().size()));
}

TEST_CASE("verify takes results with ==, without a default constructor, and zipped inputs", "[verify]") {
    const std::vector<long> a{1, 2, 3, 4, 5}, b{10, 20, 30, 40, 50};
    CHECK(parmap::verify(parmap::zip(a, b), [](long x, long y) { return value_only(x * y); }).ok());
    const auto strings = parmap::verify(a, [](long x) { return std::to_string(x); });
    INFO(strings);
    CHECK(strings.ok());  // (parmap::thrust, which needs trivially copyable results, is skipped)
}

TEST_CASE("verify_reduce agrees for a deterministic sum and reports one that depends on the thread", "[verify]") {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = 1.0 / (1.0 + static_cast<double>(i));
    const auto sum = parmap::verify_reduce(v, [](double x) { return x * x; }, 0.25, std::plus<>{});
    INFO(sum);
    CHECK(sum.ok());
    CHECK(sum.configurations().size() == expected_policies().size());

    const std::thread::id caller = std::this_thread::get_id();
    auto by_thread = [caller](double x) { return std::this_thread::get_id() == caller ? x : x + 1.0; };
    const auto differ = parmap::verify_reduce(v, by_thread, 0.0, std::plus<>{});
    CHECK(!differ.ok());
    CHECK(line(differ, split_in_two).differing == 1);

    auto throws = [](std::size_t i) {
        if (i == 700) throw test_error(i);
        return i;
    };
    CHECK(parmap::verify_reduce(parmap::iota(n), throws, std::size_t{0}, std::plus<>{}).ok());
}
