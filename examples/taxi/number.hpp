// A CSV field as a double, correctly rounded whatever the locale: Clinger's exact fast path for the plain
// decimals taxi files are made of, fast_float for everything else (tests/number_check.cpp compares them).
#pragma once

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdint>
#include <system_error>

namespace taxi {

/// Clinger's fast path for the common field "[-]digits[.digits]" of at most 15 digits: the digits as an
/// integer m (exact in a double) divided by 10^k (exact for k <= 22) is one correctly rounded operation,
/// so the value is the one fast_float (or strtod) gives. False when the field has another shape.
inline bool parse_plain_decimal(const char* first, const char* last, double& value) {
    static constexpr double powers[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const bool negative = *first == '-';
    const char* p = first + negative;
    std::uint64_t digits = 0;
    int count = 0, decimals = -1;
    for (; p != last; ++p) {
        const unsigned d = static_cast<unsigned>(*p - '0');
        if (d < 10) {
            digits = digits * 10 + d, ++count;
            decimals += decimals >= 0;
        } else if (*p == '.' && decimals < 0) {
            decimals = 0;
        } else {
            return false;
        }
    }
    if (count == 0 || count > 15 || decimals == 0) return false;
    const double magnitude = static_cast<double>(digits) / powers[decimals < 0 ? 0 : decimals];
    value = negative ? -magnitude : magnitude;
    return true;
}

/// `field` as a finite double covering the whole field, or false.
inline bool parse_number(const char* first, const char* last, double& value) {
    if (first == last) return false;
    if (parse_plain_decimal(first, last, value)) return true;
    const fast_float::from_chars_result r = fast_float::from_chars(first, last, value);
    return r.ec == std::errc() && r.ptr == last && std::isfinite(value);
}

} // namespace taxi
