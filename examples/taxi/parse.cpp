// The CSV rows of one block; see parse.hpp. Numbers are parsed by number.hpp, correctly rounded, whatever
// the locale.
#include "parse.hpp"

#include "number.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <cstring>

namespace taxi {
namespace {

/// The needed fields of one line, or ok = false when the line is not a usable row.
struct row_values {
    bool ok = false;
    double fare = 0, tip = 0, distance = 0;
};

/// Calls on_comma(p) for every comma in [begin, end), in order: 16 bytes at a time where SSE2 is there.
template <class OnComma>
void for_each_comma(const char* begin, const char* end, OnComma&& on_comma) {
    const char* p = begin;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(',');
    for (; end - p >= 16; p += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)));
        for (; mask != 0; mask &= mask - 1) on_comma(p + __builtin_ctz(mask));
    }
#endif
    for (; p != end; ++p) {
        if (*p == ',') on_comma(p);
    }
}

/// Splits [begin, end) at commas, keeping the three needed fields; checks the field count.
row_values parse_row(const char* begin, const char* end, const layout& columns) {
    row_values row;
    std::size_t field = 0;
    const char* start = begin;
    bool numeric = true;
    auto field_ends = [&](const char* at) {
        if (field == columns.fare) numeric = numeric && parse_number(start, at, row.fare);
        else if (field == columns.tip) numeric = numeric && parse_number(start, at, row.tip);
        else if (field == columns.distance) numeric = numeric && parse_number(start, at, row.distance);
        ++field;
        start = at + 1;
    };
    for_each_comma(begin, end, field_ends);
    field_ends(end);
    row.ok = numeric && field == columns.fields;
    return row;
}

void count_row(block_stats& s, const char* begin, const char* end, const layout& columns) {
    ++s.rows_read;
    const row_values row = parse_row(begin, end, columns);
    if (!row.ok) {
        for (std::uint64_t& at : s.skipped_at) {
            if (at == 0) {
                at = s.lines;
                break;
            }
        }
        ++s.rows_skipped;
        return;
    }
    if (!(row.fare > 0)) return;
    ++s.rows_used;
    const double ratio = row.tip / row.fare;
    s.tip_ratio_sum += ratio;
    const std::size_t tb = tip_bin(ratio);
    if (tb < tip_bins) ++s.tip_hist[tb];
    const std::size_t db = distance_bin(row.distance);
    if (db < distance_bins) ++s.distance_hist[db];
}

} // namespace

block_stats parse_block(const block_text& text, const layout& columns, std::size_t max_line) {
    block_stats s;
    const char* p = text.data;
    const char* const end = text.data + text.size;
    while (p < end) {
        const void* found = std::memchr(p, '\n', static_cast<std::size_t>(end - p));
        const char* line_end = found ? static_cast<const char*>(found) : end;
        ++s.lines;
        if (static_cast<std::size_t>(line_end - p) > max_line && s.long_line == 0) s.long_line = s.lines;
        const char* content_end = line_end > p && line_end[-1] == '\r' ? line_end - 1 : line_end;
        if (content_end > p) count_row(s, p, content_end, columns);
        p = line_end + 1;
    }
    if (text.ends_in_long_line) {
        ++s.lines;
        if (s.long_line == 0) s.long_line = s.lines;
    }
    return s;
}

} // namespace taxi
