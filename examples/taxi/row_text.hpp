// Small appenders that write CSV fields fast and locale-free: whole numbers, money in cents as dollars
// with two decimals, and timestamps "YYYY-MM-DD HH:MM:SS".
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

namespace taxi {

inline void append_int(std::string& out, std::int64_t value) {
    char digits[24];
    const std::to_chars_result r = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, static_cast<std::size_t>(r.ptr - digits));  // (pointer, count): no replace() path
}

/// `hundredths` / 100 with exactly two decimals: 1250 -> "12.50", -5 -> "-0.05".
inline void append_hundredths(std::string& out, std::int64_t hundredths) {
    if (hundredths < 0) {
        out += '-';
        hundredths = -hundredths;
    }
    append_int(out, hundredths / 100);
    out += '.';
    out += static_cast<char>('0' + hundredths % 100 / 10);
    out += static_cast<char>('0' + hundredths % 10);
}

/// Seconds since `year`-01-01 00:00:00 as a timestamp, within that (non-leap) year; `year` has 4 digits.
inline void append_timestamp(std::string& out, int year, std::uint32_t seconds) {
    static constexpr std::uint32_t month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    std::uint32_t day = seconds / 86400 % 365, month = 0;
    while (day >= month_days[month]) day -= month_days[month++];
    const std::uint32_t in_day = seconds % 86400;
    const std::uint32_t parts[5] = {month + 1, day + 1, in_day / 3600, in_day / 60 % 60, in_day % 60};
    char text[] = "YYYY-MM-DD hh:mm:ss";
    for (int i = 3; i >= 0; --i, year /= 10) text[i] = static_cast<char>('0' + year % 10);
    for (int i = 0; i < 5; ++i) {
        text[5 + 3 * i] = static_cast<char>('0' + parts[i] / 10);
        text[6 + 3 * i] = static_cast<char>('0' + parts[i] % 10);
    }
    out.append(text, sizeof text - 1);
}

} // namespace taxi
