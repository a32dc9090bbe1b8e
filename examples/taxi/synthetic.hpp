// parmap-taxi's synthetic trips: row r of seed s is a fixed function of (s, r) through parmap::philox4x32,
// so a file's bytes depend on the seed and row count only, never on the worker count. Distances are
// log-normal-like around 2 miles with some 10-30 mile airport trips, within 0.1 to 100; yellow fares are
// metered ($2.50 + about $2.50 a mile, in 50-cent steps), 35% of riders pay cash and tip nothing, 5% more
// tip nothing, most card tips are the screen's 20/25/30% buttons; ride-share fares are $7 + about $1.90 a
// mile and 80% tip nothing. With quirks, rows also carry what real files hold: refunds (negative
// fares), zero fares, empty fields, non-numeric fields and rows with a field missing.
#pragma once

#include "schema.hpp"

#include <cstdint>
#include <string>

namespace taxi {

/// What a row looks like apart from its numbers (only with quirks).
enum class row_quirk { none, refund, zero_fare, empty_tip, empty_fare, not_a_number, field_missing, empty_other };

/// The numbers of one trip, in hundredths (miles and dollars), and its quirk.
struct trip {
    std::int64_t miles = 0, fare = 0, tip = 0;
    std::uint32_t pickup_s = 0, duration_s = 0;
    std::uint32_t pu_zone = 1, do_zone = 1, passengers = 1;
    bool cash = false;
    row_quirk quirk = row_quirk::none;
};

trip make_trip(service kind, std::uint64_t seed, std::uint64_t row, bool quirks);

/// Appends row `row` of the file (its CSV fields and the line end) to `out`.
void append_row(std::string& out, service kind, const trip& t, bool crlf);

} // namespace taxi
