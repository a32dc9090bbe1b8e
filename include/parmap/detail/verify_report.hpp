// parmap::verify's answer: one line per configuration (ok, differs, skipped) with its time, the first ten
// differing elements of each configuration that differs, and a hint when any does.
#pragma once

#include <cstddef>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace parmap {

/// @brief Thrown by verify_report::require() when a configuration disagrees with the serial reference;
/// what() is the report of the configurations that differ.
class verify_error : public std::runtime_error {
public:
    explicit verify_error(const std::string& report) : std::runtime_error(report) {}
};

/// @brief What parmap::verify found: for every configuration (a policy, spelled as code) ok, skipped, or
/// the elements that differ from the serial reference.
class verify_report {
public:
    /// @brief One element (or, for verify_reduce, the one result) that differs from the reference.
    struct difference {
        std::size_t index;   ///< the element's index in the input (0 for verify_reduce)
        std::string reference;  ///< the serial result, or "threw <type>: <what>"
        std::string got;        ///< this configuration's result, likewise
        std::string ulps;       ///< their distance in ULPs for floating-point results, else "-"
    };

    /// @brief One configuration's outcome.
    struct configuration {
        std::string policy;        ///< the policy as code, e.g. "parmap::threads.workers(3)"
        bool skipped = false;      ///< not run (a backend not compiled in, no device); not a failure
        std::string reason;        ///< why it was skipped
        double seconds = 0;        ///< how long its call took
        std::size_t differing = 0; ///< how many elements differ from the reference (0: ok)
        std::vector<difference> first;  ///< the first ten of them, by index
        bool ok() const noexcept { return skipped || differing == 0; }
    };

    verify_report(std::string what, std::size_t elements) : what_(std::move(what)), elements_(elements) {}

    /// @brief True when every configuration that ran agrees with the reference.
    bool ok() const noexcept {
        for (const configuration& c : configurations_) {
            if (!c.ok()) return false;
        }
        return true;
    }
    explicit operator bool() const noexcept { return ok(); }

    /// @brief Throws parmap::verify_error, whose what() lists the configurations that differ, unless ok().
    void require() const {
        if (ok()) return;
        std::ostringstream s;
        write(s, true);
        throw verify_error(s.str());
    }

    /// @brief Every configuration, the serial reference first.
    const std::vector<configuration>& configurations() const noexcept { return configurations_; }
    /// @brief The wall time of the whole verify call, seconds.
    double seconds() const noexcept { return seconds_; }
    /// @brief The sum of the configurations' own times, seconds (what verify costs beyond them is comparing).
    double configuration_seconds() const noexcept {
        double sum = 0;
        for (const configuration& c : configurations_) sum += c.seconds;
        return sum;
    }

    void add(configuration c) { configurations_.push_back(std::move(c)); }
    void set_seconds(double s) noexcept { seconds_ = s; }

    /// @brief The whole report: a heading, one line per configuration, the differences, a hint if any differ.
    friend std::ostream& operator<<(std::ostream& os, const verify_report& r) {
        r.write(os, false);
        return os;
    }

private:
    void write(std::ostream& os, bool only_failures) const {
        std::size_t failed = 0, skipped = 0;
        for (const configuration& c : configurations_) {
            failed += c.ok() ? 0 : 1;
            skipped += c.skipped ? 1 : 0;
        }
        os << "parmap::verify: " << what_ << " over " << elements_ << " element" << (elements_ == 1 ? "" : "s") << " on "
           << configurations_.size() - skipped << " configurations, parmap::serial the reference: ";
        if (failed == 0) {
            os << "all agree";
        } else {
            os << failed << " differ";
        }
        if (skipped != 0) os << " (" << skipped << " skipped)";
        os << "\n";
        for (const configuration& c : configurations_) {
            if (!only_failures || !c.ok()) write(os, c);
        }
        os << "  total " << seconds_ << " s, of which the configurations' own runs " << configuration_seconds() << " s\n";
        if (failed != 0) os << hint;
    }

    static void write(std::ostream& os, const configuration& c) {
        if (c.skipped) {
            os << "  skipped              " << c.policy << ": " << c.reason << "\n";
            return;
        }
        std::ostringstream time;
        time.precision(3);
        time << std::scientific << c.seconds << " s";
        os << "  " << (c.differing == 0 ? "ok       " : "DIFFERS  ") << time.str() << "  " << c.policy;
        if (c.differing == 0) {
            os << "\n";
            return;
        }
        os << ": " << c.differing << " element" << (c.differing == 1 ? "" : "s") << " differ; first " << c.first.size()
           << " as (index, reference, got, ULPs):\n";
        for (const difference& d : c.first) {
            os << "      (" << d.index << ", " << d.reference << ", " << d.got << ", " << d.ulps << ")\n";
        }
    }

    static constexpr const char* hint =
        "hint: reproduce a difference with parmap::parallel_map(<the policy above>, xs, f). When even\n"
        "  parmap::threads.workers(1) differs, f is not deterministic: a clock, an unseeded or shared random\n"
        "  generator, or state kept between calls. Draw random numbers with <parmap/random.hpp>\n"
        "  (parmap::philox4x32 keyed by the element), which gives the same numbers on every backend.\n";

    std::string what_;
    std::size_t elements_;
    std::vector<configuration> configurations_;
    double seconds_ = 0;
};

} // namespace parmap
