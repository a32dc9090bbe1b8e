// The example programs' option values: whole numbers (counts, seeds) as digits or 1e8, checked before CLI11
// converts them, so a bad value gets one line naming the allowed range instead of a wrapped or rounded
// number; and no option of any program takes an empty value.
#pragma once

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>
#include <string>

namespace parmap_examples {

/// A whole number from `low` to `high`: digits, or (with `exponent`) also 1e8 / 2.5e9, which are rewritten
/// as digits for CLI11. Anything else, a sign included, gets a one-line reason that names the range
/// (`high_text`, default: high in digits).
inline CLI::Validator whole_number(std::uint64_t low, std::uint64_t high, bool exponent = true, std::string high_text = {}) {
    if (high_text.empty()) high_text = std::to_string(high);
    return CLI::Validator(
        [low, high, exponent, high_text](std::string& text) -> std::string {
            const std::string bad = "'" + text + "' is not a whole number from " + std::to_string(low) + " to " +
                                    high_text + (exponent ? " (write 100000000 or 1e8)" : "");
            const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
            try {
                if (digits) {  // exact, up to 2^64 - 1
                    if (text.size() > 20) return bad;
                    const unsigned long long value = std::stoull(text);
                    return value < low || value > high ? bad : std::string();
                }
                std::size_t used = 0;
                if (!exponent || text.find_first_not_of("0123456789eE.+") != std::string::npos) return bad;
                const long double value = std::stold(text, &used);
                if (used != text.size() || value != std::floor(value) || value < static_cast<long double>(low) ||
                    value > static_cast<long double>(high)) {
                    return bad;
                }
                text = std::to_string(static_cast<std::uint64_t>(value));
                return {};
            } catch (const std::exception&) {
                return bad;
            }
        },
        "COUNT");
}

/// A finite number from `low` to `high` (123, 0.5, 1e3), for every floating-point option: NaN and the
/// infinities (also 1e999, which overflows to one) are refused. CLI::Range alone lets NaN through, since
/// every comparison with NaN is false.
inline CLI::Validator finite_number(double low, double high) {
    char range[64];
    std::snprintf(range, sizeof range, "%g to %g", low, high);
    std::string bounds = range;
    for (std::size_t at; (at = bounds.find("e+")) != std::string::npos;) bounds.erase(at + 1, 1);  // 1e100, not 1e+100
    return CLI::Validator(
        [low, high, bounds](std::string& text) -> std::string {
            char* end = nullptr;
            const double value = std::strtod(text.c_str(), &end);
            if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value < low || value > high)
                return "'" + text + "' is not a finite number from " + bounds;
            return {};
        },
        "NUMBER");
}

/// The rules every program's command line keeps; call it after the last add_option, before parsing. Every
/// option that takes a value (positional arguments included) refuses an empty one, so that
/// `--angle "$UNSET"` is a usage error instead of a number CLI11 reads as 0 or an empty name; and a usage
/// error is one line on stderr, "program: reason (see --help)".
inline void finish_options(CLI::App& app, const std::string& program) {
    const CLI::Validator not_empty([](std::string& text) { return text.empty() ? std::string("an empty value is not allowed") : std::string(); },
                                   std::string());
    for (CLI::Option* option : app.get_options())
        if (option->get_type_size() != 0) option->check(not_empty);
    app.failure_message([program](const CLI::App*, const CLI::Error& e) { return program + ": " + e.what() + " (see --help)\n"; });
}

/// Parses the command line once finish_options() has run; `validate()`, called after the parse, may throw
/// CLI::ValidationError for rules between options. Returns the exit status where the program ends here: 0
/// after --help, 2 after a usage error (one line on stderr); nullopt to go on.
template <class Validate>
std::optional<int> parse_options(CLI::App& app, int argc, char** argv, const std::string& program, Validate validate) {
    finish_options(app, program);
    try {
        app.parse(argc, argv);
        validate();
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 2;
    }
    return std::nullopt;
}

inline std::optional<int> parse_options(CLI::App& app, int argc, char** argv, const std::string& program) {
    return parse_options(app, argc, argv, program, [] {});
}

} // namespace parmap_examples
