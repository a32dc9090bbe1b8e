// The synthetic trips and their CSV rows; see synthetic.hpp.
#include "synthetic.hpp"

#include "row_text.hpp"

#include <parmap/random.hpp>

#include <algorithm>
#include <cmath>

namespace taxi {
namespace {

double unit(std::uint32_t bits) { return static_cast<double>(parmap::uniform01<float>(bits)); }

row_quirk quirk_of(std::uint32_t bits) {
    const std::uint32_t per_mille = bits % 1000;
    if (per_mille < 5) return row_quirk::refund;
    if (per_mille < 8) return row_quirk::zero_fare;
    if (per_mille < 10) return row_quirk::empty_tip;
    if (per_mille < 11) return row_quirk::empty_fare;
    if (per_mille < 12) return row_quirk::not_a_number;
    if (per_mille < 13) return row_quirk::field_missing;
    if (per_mille < 40) return row_quirk::empty_other;
    return row_quirk::none;
}

std::int64_t hundredths(double value) { return static_cast<std::int64_t>(std::llround(value * 100.0)); }

/// Miles: log10 about normal (mean 0.3, sd 0.4: a median of 2 miles) by a sum of three uniforms, 3% long
/// (airport) trips of 10 to 30 miles, 0.5% anywhere in [0.1, 100] (log-uniform).
std::int64_t miles_of(const parmap::philox4x32::counter_type& c) {
    const double z = 2.0 * (unit(c.v[0]) + unit(c.v[1]) + unit(c.v[2]) - 1.5);
    const std::uint32_t kind = c.v[3] % 1000;
    const double log_miles = kind < 5 ? -1.0 + 3.0 * unit(c.v[3]) : kind < 35 ? 1.0 + 0.5 * unit(c.v[3]) : 0.3 + 0.4 * z;
    return std::clamp<std::int64_t>(hundredths(std::pow(10.0, log_miles)), 10, 10000);
}

/// A card rider's tip as a share of the fare: the screen's buttons (20, 25, 30%) for most, a spread of
/// other amounts for the rest, and a few generous ones up to 150%.
double tip_share(std::uint32_t pick, double u) {
    if (pick % 100 < 55) return 0.2 + 0.05 * static_cast<double>(pick / 100 % 3);
    if (pick % 100 < 99) return 0.05 + 0.45 * u * u;
    return 0.5 + u;
}

} // namespace

trip make_trip(service kind, std::uint64_t seed, std::uint64_t row, bool quirks) {
    const parmap::philox4x32 rng(seed);
    const parmap::philox4x32::counter_type a = rng(row, 0), b = rng(row, 1);
    trip t;
    t.miles = miles_of(rng(row, 2));
    const double miles = static_cast<double>(t.miles) / 100.0, meter = 0.85 + 0.3 * unit(a.v[1]);
    const double share = tip_share(a.v[0], unit(a.v[3]));
    if (kind == service::yellow) {
        t.fare = 250 + 50 * static_cast<std::int64_t>(std::llround(5.0 * miles * meter));
        t.cash = a.v[2] % 100 < 35;
        t.tip = t.cash || a.v[2] % 100 < 40 ? 0 : hundredths(static_cast<double>(t.fare) / 100.0 * share);
    } else {
        t.fare = hundredths(7.0 + 1.9 * miles * meter);
        t.tip = a.v[2] % 100 < 80 ? 0 : hundredths(static_cast<double>(t.fare) / 100.0 * share * 0.8);
    }
    t.pickup_s = b.v[0] % (365u * 86400u);
    t.duration_s = 60 + static_cast<std::uint32_t>(miles * (150.0 + 250.0 * unit(b.v[1])));
    t.pu_zone = 1 + b.v[2] % 263;
    t.do_zone = 1 + (b.v[2] >> 16) % 263;
    t.passengers = 1 + (b.v[3] >> 8) % 6 / 4;
    t.quirk = quirks ? quirk_of(b.v[3]) : row_quirk::none;
    if (t.quirk == row_quirk::refund) t.fare = -t.fare, t.tip = -t.tip;
    if (t.quirk == row_quirk::zero_fare) t.fare = 0, t.tip = 0;
    return t;
}

namespace {

/// A needed money field: empty or not a number when the quirk says so.
void append_money(std::string& out, std::int64_t value, bool empty, bool garbled) {
    if (garbled) out += "n/a";
    else if (!empty) append_hundredths(out, value);
    out += ',';
}

void append_yellow(std::string& out, const trip& t) {
    const bool refund = t.quirk == row_quirk::refund;
    const std::int64_t sign = refund ? -1 : 1, extra = (t.pickup_s / 3600 % 24 >= 20 ? 50 : 0) * sign;
    out += t.pu_zone % 2 ? "1," : "2,";
    append_timestamp(out, 2017, t.pickup_s), out += ',';
    append_timestamp(out, 2017, t.pickup_s + t.duration_s), out += ',';
    if (t.quirk != row_quirk::empty_other) append_int(out, t.passengers);
    out += ',', append_hundredths(out, t.miles), out += ",1,N,";
    append_int(out, t.pu_zone), out += ',', append_int(out, t.do_zone), out += t.cash ? ",2," : ",1,";
    append_money(out, t.fare, t.quirk == row_quirk::empty_fare, t.quirk == row_quirk::not_a_number);
    append_hundredths(out, extra), out += ',', append_hundredths(out, 50 * sign), out += ',';
    append_money(out, t.tip, t.quirk == row_quirk::empty_tip, false);
    out += "0,", append_hundredths(out, 30 * sign);
    if (t.quirk != row_quirk::field_missing) out += ',', append_hundredths(out, t.fare + extra + 80 * sign + t.tip);
}

void append_rideshare(std::string& out, const trip& t) {
    const bool lyft = t.pu_zone % 4 == 0;
    out += lyft ? "HV0005,B03406," : "HV0003,B03404,";
    out += t.quirk == row_quirk::empty_other || lyft ? "," : "B03404,";
    append_timestamp(out, 2022, t.pickup_s), out += ',';
    append_timestamp(out, 2022, t.pickup_s + 120), out += ',';
    append_timestamp(out, 2022, t.pickup_s + 180), out += ',';
    append_timestamp(out, 2022, t.pickup_s + 180 + t.duration_s), out += ',';
    append_int(out, t.pu_zone), out += ',', append_int(out, t.do_zone), out += ',';
    append_hundredths(out, t.miles), out += ',', append_int(out, t.duration_s), out += ',';
    append_money(out, t.fare, t.quirk == row_quirk::empty_fare, t.quirk == row_quirk::not_a_number);
    out += "0.00,", append_hundredths(out, t.fare * 3 / 100), out += ',';
    append_hundredths(out, t.fare * 8875 / 100000), out += t.do_zone % 3 ? ",2.75,0.00," : ",0.00,0.00,";
    append_money(out, t.tip, t.quirk == row_quirk::empty_tip, false);
    append_hundredths(out, t.fare * 3 / 4 + t.tip), out += ",N,N,N,N";
    if (t.quirk != row_quirk::field_missing) out += ",N";
}

} // namespace

void append_row(std::string& out, service kind, const trip& t, bool crlf) {
    if (kind == service::yellow) append_yellow(out, t);
    else append_rideshare(out, t);
    out += crlf ? "\r\n" : "\n";
}

} // namespace taxi
