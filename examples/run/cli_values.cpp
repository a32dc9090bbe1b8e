// parmap-run's option values that CLI11 cannot check by itself: durations, --halt, line ranges.
#include "cli.hpp"

#include <cmath>
#include <cstdlib>

namespace parmap_run {

namespace {

// A non-negative number with nothing after it, or nothing (and `ok` false).
double whole_text_number(const std::string& text, bool& ok) {
    char* end = nullptr;
    const double value = text.empty() ? -1 : std::strtod(text.c_str(), &end);
    ok = end != nullptr && *end == '\0' && std::isfinite(value) && value >= 0 && text.find_first_of("xXnN") == std::string::npos;
    return value;
}

unsigned long long line_number(const std::string& text, const std::string& whole) {
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw CLI::ValidationError("--lines", "'" + whole + "' is not a list of line ranges like 0-99,250");
    }
    return std::strtoull(text.c_str(), nullptr, 10);
}

} // namespace

bool line_ranges::contains(unsigned long long line) const {
    if (ranges.empty()) return true;
    for (const auto& range : ranges) {
        if (line >= range.first && line <= range.second) return true;
    }
    return false;
}

double parse_duration(const std::string& text) {
    static const std::pair<const char*, double> units[] = {{"ms", 0.001}, {"s", 1}, {"m", 60}, {"h", 3600}, {"d", 86400}};
    for (const auto& unit : units) {
        const std::string suffix = unit.first;
        if (text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0) {
            bool ok = false;
            const double value = whole_text_number(text.substr(0, text.size() - suffix.size()), ok);
            if (ok) return value * unit.second;
        }
    }
    bool ok = false;
    const double value = whole_text_number(text, ok);
    if (!ok) throw CLI::ValidationError("--timeout", "'" + text + "' is not a duration (write 30, 30s, 500ms, 2m or 1h)");
    return value;
}

halt_rule parse_halt(const std::string& text) {
    halt_rule rule;
    if (text == "never") return rule;
    const std::string bad = "'" + text + "' is not now,fail=N, soon,fail=N or now,fail=P% (or never)";
    const std::size_t comma = text.find(',');
    const std::string when = text.substr(0, comma);
    if (comma == std::string::npos || (when != "now" && when != "soon") || text.compare(comma + 1, 5, "fail=") != 0) {
        throw CLI::ValidationError("--halt", bad);
    }
    std::string amount = text.substr(comma + 6);
    const bool percent = !amount.empty() && amount.back() == '%';
    if (percent) amount.pop_back();
    bool ok = false;
    const double value = whole_text_number(amount, ok);
    if (!ok || value <= 0 || (percent && value > 100) || (!percent && value != std::floor(value))) {
        throw CLI::ValidationError("--halt", bad);
    }
    rule.active = true;
    rule.now = when == "now";
    if (percent) rule.percent = value;
    else rule.count = static_cast<std::size_t>(value);
    return rule;
}

line_ranges parse_line_ranges(const std::string& text) {
    line_ranges lines;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        const std::string item = text.substr(begin, comma - begin);
        const std::size_t dash = item.find('-');
        const unsigned long long first = line_number(item.substr(0, dash), text);
        const unsigned long long last = dash == std::string::npos ? first : line_number(item.substr(dash + 1), text);
        if (last < first) throw CLI::ValidationError("--lines", "'" + item + "': the range ends before it begins");
        lines.ranges.emplace_back(first, last);
        begin = comma + 1;
    }
    return lines;
}

std::string format_line_ranges(const line_ranges& lines) {
    std::string text;
    for (const auto& range : lines.ranges) {
        if (!text.empty()) text += ',';
        text += std::to_string(range.first);
        if (range.second != range.first) text += '-' + std::to_string(range.second);
    }
    return text;
}

} // namespace parmap_run
