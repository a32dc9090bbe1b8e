// parmap::verify: how two results are compared (parmap::compare), their distance in ULPs, and how a
// result is printed in a report. Floating-point numbers, std::complex, pairs, tuples and ranges of them
// are taken apart, so that "bit for bit" and "within k ULPs" mean the same for a double and a vector of them.
#pragma once

#include <parmap/ranges.hpp>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <iomanip>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

namespace parmap {
namespace detail {

template <class T>
inline constexpr bool is_bits_float_v = std::is_same_v<T, float> || std::is_same_v<T, double>;

template <class T>
struct is_complex : std::false_type {};
template <class T>
struct is_complex<std::complex<T>> : std::true_type {};

template <class T, class = void>
struct is_tuple_like : std::false_type {};
template <class T>
struct is_tuple_like<T, std::void_t<decltype(std::tuple_size<T>::value)>> : std::bool_constant<!is_range_v<T>> {};

template <class T, class = void>
struct has_equal : std::false_type {};
template <class T>
struct has_equal<T, std::void_t<decltype(bool(std::declval<const T&>() == std::declval<const T&>()))>> : std::true_type {};

template <class T, class = void>
struct is_printable : std::false_type {};
template <class T>
struct is_printable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>> : std::true_type {};

template <class T, class Indices = std::make_index_sequence<std::tuple_size<T>::value>>
struct all_parts_comparable;

/// True when verify's default comparison knows how to compare two T bit for bit.
template <class T>
constexpr bool bitwise_comparable() {
    if constexpr (std::is_floating_point_v<T> || std::has_unique_object_representations_v<T> || is_complex<T>::value) {
        return true;
    } else if constexpr (is_range_v<T> && !std::is_same_v<T, std::string>) {
        return bitwise_comparable<std::decay_t<decltype(*std::begin(std::declval<const T&>()))>>();
    } else if constexpr (is_tuple_like<T>::value) {
        return all_parts_comparable<T>::value;
    } else {
        return has_equal<T>::value;
    }
}
template <class T, std::size_t... I>
struct all_parts_comparable<T, std::index_sequence<I...>>
    : std::bool_constant<(bitwise_comparable<std::decay_t<std::tuple_element_t<I, T>>>() && ...)> {};

/// Calls `scalar(x, y)` on the matching numbers of a and b (parts of complex numbers, tuples, ranges), and
/// `other(x, y)` on anything else; false as soon as one says false or two ranges differ in length.
template <class T, class Scalar, class Other>
bool all_parts(const T& a, const T& b, Scalar& scalar, Other& other) {
    if constexpr (std::is_arithmetic_v<T>) {
        return scalar(a, b);
    } else if constexpr (is_complex<T>::value) {
        return scalar(a.real(), b.real()) && scalar(a.imag(), b.imag());
    } else if constexpr (is_range_v<T> && !std::is_same_v<T, std::string>) {
        if (range_size(a) != range_size(b)) return false;
        auto y = std::begin(b);
        for (auto x = std::begin(a); x != std::end(a); ++x, ++y) {
            if (!all_parts(*x, *y, scalar, other)) return false;
        }
        return true;
    } else if constexpr (is_tuple_like<T>::value) {
        return std::apply([&](const auto&... x) {
            return std::apply([&](const auto&... y) { return (all_parts(x, y, scalar, other) && ...); }, b);
        }, a);
    } else {
        return other(a, b);
    }
}

/// The bits of a float or double as an unsigned integer of the same size.
template <class T>
auto bits_of(T x) {
    using U = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
    U u;
    std::memcpy(&u, &x, sizeof u);
    return u;
}

/// How many representable numbers lie between a and b (0 for +0 and -0), or nothing when one is NaN.
template <class T>
std::optional<std::uint64_t> ulp_distance(T a, T b) {
    if constexpr (is_bits_float_v<T>) {
        if (std::isnan(a) || std::isnan(b)) return std::nullopt;
        const auto sign = decltype(bits_of(a)){1} << (8 * sizeof(T) - 1);
        const auto ua = bits_of(a), ub = bits_of(b);
        const std::uint64_t ma = ua & ~sign, mb = ub & ~sign;  // magnitudes, ordered as the numbers are
        if ((ua & sign) != (ub & sign)) return ma + mb;         // across zero: both distances to it
        return ma > mb ? ma - mb : mb - ma;
    } else if constexpr (std::is_arithmetic_v<T>) {
        return a == b ? 0 : std::optional<std::uint64_t>{};
    } else {
        return std::nullopt;
    }
}

/// The largest ULP distance between the numbers of a and b (nothing when they hold none, or a NaN).
template <class T>
std::optional<std::uint64_t> max_ulp_distance(const T& a, const T& b) {
    std::optional<std::uint64_t> most;
    bool defined = true;
    auto scalar = [&](auto x, auto y) {
        const std::optional<std::uint64_t> d = ulp_distance(x, y);
        defined = defined && d.has_value();
        if (d) most = std::max(most.value_or(0), *d);
        return true;
    };
    auto other = [](const auto&, const auto&) { return true; };
    if (!all_parts(a, b, scalar, other) || !defined) return std::nullopt;
    return most;
}

/// A result as the report shows it: numbers at full precision, NaN with its bits, at most 4 range elements.
template <class T>
void print_value(std::ostream& os, const T& x) {
    if constexpr (is_bits_float_v<T>) {
        if (std::isnan(x)) {
            os << "nan(0x" << std::hex << bits_of(x) << std::dec << ")";
        } else {
            os << std::setprecision(std::numeric_limits<T>::max_digits10) << x;
        }
    } else if constexpr (std::is_same_v<T, std::string> || (is_printable<T>::value && !is_range_v<T>)) {
        os << x;
    } else if constexpr (is_range_v<T>) {
        os << "[";
        std::size_t shown = 0;
        for (auto it = std::begin(x); it != std::end(x); ++it, ++shown) {
            if (shown == 4) {
                os << ", ... (" << range_size(x) << " elements)";
                break;
            }
            os << (shown == 0 ? "" : ", ");
            print_value(os, *it);
        }
        os << "]";
    } else {
        os << "(a value that cannot be printed)";
    }
}

template <class T>
std::string to_text(const T& x) {
    std::ostringstream s;
    print_value(s, x);
    return s.str();
}

} // namespace detail

/// @brief Comparisons for parmap::verify: each is called as `compare(reference, got)` and says whether they agree,
/// a callable of your own from several threads at once (verify compares in parallel).
/// Any callable `bool(const R&, const R&)` works as well.
namespace compare {

/// @brief The default: bit for bit. Floating-point numbers compare by their bits (so -0.0 differs from +0.0,
/// and NaNs with different payloads differ); complex numbers, pairs, tuples and ranges part by part; other
/// types by their bytes when they have a unique object representation, else with ==.
struct bitwise {
    template <class T>
    bool operator()(const T& a, const T& b) const {
        auto scalar = [](auto x, auto y) {
            if constexpr (detail::is_bits_float_v<decltype(x)>) {
                return detail::bits_of(x) == detail::bits_of(y);
            } else if constexpr (std::is_floating_point_v<decltype(x)>) {  // long double: its padding is not compared
                return (x == y && std::signbit(x) == std::signbit(y)) || (std::isnan(x) && std::isnan(y));
            } else {
                return x == y;
            }
        };
        auto other = [](const auto& x, const auto& y) {
            if constexpr (std::has_unique_object_representations_v<std::decay_t<decltype(x)>>) {
                return std::memcmp(&x, &y, sizeof x) == 0;
            } else {
                return bool(x == y);
            }
        };
        return detail::all_parts(a, b, scalar, other);
    }
    static std::string description() { return "bit for bit"; }
};

/// @brief Numbers agree when at most `k` representable values apart; NaN equals NaN, +0 equals -0.
struct ulps_within {
    std::uint64_t k;
    template <class T>
    bool operator()(const T& a, const T& b) const {
        auto scalar = [this](auto x, auto y) {
            if constexpr (std::is_floating_point_v<decltype(x)>) {
                if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
                if constexpr (detail::is_bits_float_v<decltype(x)>) return *detail::ulp_distance(x, y) <= k;
            }
            return x == y;
        };
        auto other = [](const auto& x, const auto& y) { return bool(x == y); };
        return detail::all_parts(a, b, scalar, other);
    }
    std::string description() const { return "within " + std::to_string(k) + " ULPs"; }
};

/// @brief Numbers agree when |a - b| <= max(abs, rel * max(|a|, |b|)); NaN equals NaN.
struct tolerance_within {
    double abs;
    double rel;
    template <class T>
    bool operator()(const T& a, const T& b) const {
        auto scalar = [this](auto x, auto y) {
            if constexpr (std::is_floating_point_v<decltype(x)>) {
                if (std::isnan(x) || std::isnan(y)) return std::isnan(x) && std::isnan(y);
                if (x == y) return true;  // equal infinities
            }
            const long double dx = x, dy = y;
            return std::fabs(dx - dy) <= std::max<long double>(abs, rel * std::max(std::fabs(dx), std::fabs(dy)));
        };
        auto other = [](const auto& x, const auto& y) { return bool(x == y); };
        return detail::all_parts(a, b, scalar, other);
    }
    std::string description() const {
        std::ostringstream s;
        s << "within abs " << abs << " or rel " << rel;
        return s.str();
    }
};

/// @brief Agree when at most `k` ULPs apart: `parmap::verify(xs, f, parmap::compare::ulps(4))`.
inline ulps_within ulps(std::uint64_t k) { return {k}; }

/// @brief Agree when |a - b| <= max(abs, rel * max(|a|, |b|)): `parmap::compare::tolerance(1e-12, 1e-9)`.
inline tolerance_within tolerance(double abs, double rel = 0.0) { return {abs, rel}; }

} // namespace compare
} // namespace parmap
