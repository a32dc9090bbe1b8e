// parmap: input ranges. parmap::iota(n) is the indices 0..n-1 without storing them; parmap::zip(a, b, ...)
// walks several ranges in step so that parallel_map calls f(a_i, b_i, ...) (Python's starmap).
//
//   auto per_mile = parmap::parallel_map(parmap::zip(tips, miles), [](double t, double m) { return t / m; });
#pragma once

#include <cstddef>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>
#include <functional>

namespace parmap {

/// @brief The integers [first, last) as a random-access range that stores only its two ends.
template <class Int>
class iota_view {
    static_assert(std::is_integral_v<Int> && !std::is_same_v<Int, bool>, "Note to the user: parmap::iota takes an integer type.");
    // Offsets and sizes are computed in the unsigned type of the same width, so that a signed range
    // longer than the type's maximum (iota(INT_MIN, INT_MAX)) neither overflows nor wraps its size.
    using unsigned_int = std::make_unsigned_t<Int>;
    static constexpr Int advance(Int value, std::ptrdiff_t k) noexcept {
        return static_cast<Int>(static_cast<unsigned_int>(value) + static_cast<unsigned_int>(k));
    }

public:
    class iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = Int;
        using difference_type = std::ptrdiff_t;
        using reference = Int;
        using pointer = void;

        constexpr iterator() noexcept = default;
        constexpr explicit iterator(Int value) noexcept : value_(value) {}

        constexpr Int operator*() const noexcept { return value_; }
        constexpr Int operator[](difference_type k) const noexcept { return advance(value_, k); }
        constexpr iterator& operator++() noexcept { ++value_; return *this; }
        constexpr iterator operator++(int) noexcept { iterator old = *this; ++value_; return old; }
        constexpr iterator& operator--() noexcept { --value_; return *this; }
        constexpr iterator operator--(int) noexcept { iterator old = *this; --value_; return old; }
        constexpr iterator& operator+=(difference_type k) noexcept { value_ = advance(value_, k); return *this; }
        constexpr iterator& operator-=(difference_type k) noexcept { value_ = advance(value_, -k); return *this; }
        friend constexpr iterator operator+(iterator it, difference_type k) noexcept { return it += k; }
        friend constexpr iterator operator+(difference_type k, iterator it) noexcept { return it += k; }
        friend constexpr iterator operator-(iterator it, difference_type k) noexcept { return it -= k; }
        friend constexpr difference_type operator-(iterator a, iterator b) noexcept {
            if constexpr (sizeof(Int) < sizeof(difference_type)) {  // exact in the wider signed type
                return static_cast<difference_type>(a.value_) - static_cast<difference_type>(b.value_);
            } else {  // modulo 2^64: exact whenever the distance fits in difference_type
                return static_cast<difference_type>(static_cast<unsigned_int>(a.value_) - static_cast<unsigned_int>(b.value_));
            }
        }
        friend constexpr bool operator==(iterator a, iterator b) noexcept { return a.value_ == b.value_; }
        friend constexpr bool operator!=(iterator a, iterator b) noexcept { return a.value_ != b.value_; }
        friend constexpr bool operator<(iterator a, iterator b) noexcept { return a.value_ < b.value_; }
        friend constexpr bool operator>(iterator a, iterator b) noexcept { return a.value_ > b.value_; }
        friend constexpr bool operator<=(iterator a, iterator b) noexcept { return a.value_ <= b.value_; }
        friend constexpr bool operator>=(iterator a, iterator b) noexcept { return a.value_ >= b.value_; }

    private:
        Int value_{};
    };

    constexpr iota_view(Int first, Int last) noexcept : first_(first), last_(last < first ? first : last) {}
    constexpr iterator begin() const noexcept { return iterator(first_); }
    constexpr iterator end() const noexcept { return iterator(last_); }
    /// @brief The number of integers, exact for every range of the type (computed in its unsigned twin).
    constexpr std::size_t size() const noexcept {
        return static_cast<std::size_t>(static_cast<unsigned_int>(static_cast<unsigned_int>(last_) - static_cast<unsigned_int>(first_)));
    }
    constexpr bool empty() const noexcept { return first_ == last_; }

private:
    Int first_;
    Int last_;
};

/// @brief The integers 0, 1, ..., n-1 (empty when n <= 0), e.g. `parallel_map(parmap::iota(8), f)`.
template <class Int>
constexpr iota_view<Int> iota(Int n) noexcept { return iota_view<Int>(Int{0}, n); }

/// @brief The integers first, ..., last-1 (empty when last <= first).
template <class Int>
constexpr iota_view<Int> iota(Int first, Int last) noexcept { return iota_view<Int>(first, last); }

namespace detail {

template <class R, class = void>
struct has_size_member : std::false_type {};
template <class R>
struct has_size_member<R, std::void_t<decltype(std::declval<const R&>().size())>> : std::true_type {};

/// The number of elements of a range: its size() where it has one, else the distance from begin to end.
template <class R>
std::size_t range_size(const R& r) {
    if constexpr (has_size_member<R>::value) {
        return static_cast<std::size_t>(r.size());
    } else {
        return static_cast<std::size_t>(std::distance(std::begin(r), std::end(r)));
    }
}

/// The iterator type of a range (std::begin on an lvalue of it).
template <class R>
using begin_t = decltype(std::begin(std::declval<R&>()));

template <class R, class = void>
struct is_range : std::false_type {};
template <class R>
struct is_range<R, std::void_t<begin_t<R>, decltype(std::end(std::declval<R&>()))>> : std::true_type {};
/// True when std::begin and std::end work on an lvalue of R.
template <class R>
inline constexpr bool is_range_v = is_range<std::remove_reference_t<R>>::value;

template <class It, class = void>
struct iterator_category {
    using type = void;  // not an iterator the standard library knows: neither forward nor random access
};
template <class It>
struct iterator_category<It, std::void_t<typename std::iterator_traits<It>::iterator_category>> {
    using type = typename std::iterator_traits<It>::iterator_category;
};

template <class It>
inline constexpr bool is_random_access_v = std::is_base_of_v<std::random_access_iterator_tag, typename iterator_category<It>::type>;

/// Forward iterators may be walked more than once; single-pass ones (istream_iterator) may not.
template <class It>
inline constexpr bool is_forward_v = std::is_base_of_v<std::forward_iterator_tag, typename iterator_category<It>::type>;

template <class Range>
struct is_iota : std::false_type {};
template <class Int>
struct is_iota<iota_view<Int>> : std::true_type {};
/// True for parmap::iota ranges, which backends that move data send as two numbers.
template <class Range>
inline constexpr bool is_iota_v = is_iota<std::remove_cv_t<std::remove_reference_t<Range>>>::value;

template <class Range, class V, class = void>
struct has_contiguous_data : std::false_type {};
template <class Range, class V>
struct has_contiguous_data<Range, V, std::void_t<decltype(std::data(std::declval<Range&>()))>>
    : std::bool_constant<std::is_pointer_v<decltype(std::data(std::declval<Range&>()))> &&
                         std::is_same_v<std::remove_cv_t<std::remove_pointer_t<decltype(std::data(std::declval<Range&>()))>>, V>> {};

} // namespace detail

/// @brief `count` elements from `first` as a contiguous range: how a C array or a (pointer, count) pair from
/// C code becomes an input. The elements are referenced, not copied.
template <class T>
class span_view {
public:
    constexpr span_view(T* first, std::size_t count) noexcept : first_(first), count_(count) {}
    constexpr T* begin() const noexcept { return first_; }
    constexpr T* end() const noexcept { return first_ + count_; }
    constexpr T* data() const noexcept { return first_; }
    constexpr std::size_t size() const noexcept { return count_; }
    constexpr bool empty() const noexcept { return count_ == 0; }

private:
    T* first_;
    std::size_t count_;
};

/// @brief The `count` elements from `first`, e.g. `parmap::zip(parmap::span(tips, n), parmap::span(miles, n))`.
template <class T>
constexpr span_view<T> span(T* first, std::size_t count) noexcept { return span_view<T>(first, count); }

/// @brief Several ranges walked in step; its elements are std::tuples of references to theirs.
/// Lvalue ranges are referenced, rvalue ranges are moved in and owned. Sizes must match.
template <class... Ranges>
class zip_view {
    static_assert(sizeof...(Ranges) > 0, "Note to the user: parmap::zip needs at least one range.");
    static_assert((detail::is_range_v<Ranges> && ...),
                  "Note to the user: parmap::zip takes ranges (containers, parmap::iota, parmap::span). A pointer has no "
                  "length: pass parmap::span(pointer, count) for each C array, e.g. parmap::zip(parmap::span(x, n), parmap::span(y, n)).");

    template <class R, bool Const>
    using range_t = std::conditional_t<Const, const std::remove_reference_t<R>, std::remove_reference_t<R>>;
    static constexpr bool all_random_access = (detail::is_random_access_v<detail::begin_t<std::remove_reference_t<Ranges>>> && ...);

    /// The iterator over the ranges as they are (Const = false) or read-only (Const = true).
    template <bool Const>
    class basic_iterator {
        using iterators = std::tuple<detail::begin_t<range_t<Ranges, Const>>...>;

    public:
        using iterator_category = std::conditional_t<all_random_access, std::random_access_iterator_tag, std::forward_iterator_tag>;
        using reference = std::tuple<typename std::iterator_traits<detail::begin_t<range_t<Ranges, Const>>>::reference...>;
        using value_type = reference;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        /// parallel_map calls f(a, b, ...) with the tuple's parts, not f(tuple).
        static constexpr bool spreads_arguments = true;

        basic_iterator() = default;
        explicit basic_iterator(iterators its) : its_(std::move(its)) {}

        reference operator*() const {
            return std::apply([](const auto&... it) { return reference(*it...); }, its_);
        }
        reference operator[](difference_type k) const { return *(*this + k); }
        basic_iterator& operator++() { std::apply([](auto&... it) { (++it, ...); }, its_); return *this; }
        basic_iterator operator++(int) { basic_iterator old = *this; ++*this; return old; }
        basic_iterator& operator--() { std::apply([](auto&... it) { (--it, ...); }, its_); return *this; }
        basic_iterator& operator+=(difference_type k) { std::apply([k](auto&... it) { ((it += k), ...); }, its_); return *this; }
        basic_iterator& operator-=(difference_type k) { return *this += -k; }
        friend basic_iterator operator+(basic_iterator it, difference_type k) { return it += k; }
        friend basic_iterator operator+(difference_type k, basic_iterator it) { return it += k; }
        friend basic_iterator operator-(basic_iterator it, difference_type k) { return it -= k; }
        friend difference_type operator-(const basic_iterator& a, const basic_iterator& b) {
            return static_cast<difference_type>(std::get<0>(a.its_) - std::get<0>(b.its_));
        }
        // Every component moves in step, so the first one decides equality and order.
        friend bool operator==(const basic_iterator& a, const basic_iterator& b) { return std::get<0>(a.its_) == std::get<0>(b.its_); }
        friend bool operator!=(const basic_iterator& a, const basic_iterator& b) { return !(a == b); }
        friend bool operator<(const basic_iterator& a, const basic_iterator& b) { return std::get<0>(a.its_) < std::get<0>(b.its_); }
        friend bool operator>(const basic_iterator& a, const basic_iterator& b) { return b < a; }
        friend bool operator<=(const basic_iterator& a, const basic_iterator& b) { return !(b < a); }
        friend bool operator>=(const basic_iterator& a, const basic_iterator& b) { return !(a < b); }

    private:
        iterators its_;
    };

public:
    using iterator = basic_iterator<false>;
    using const_iterator = basic_iterator<true>;

    /// @brief Throws std::invalid_argument naming both sizes when the ranges differ in length.
    explicit zip_view(Ranges&&... ranges) : ranges_(std::forward<Ranges>(ranges)...) {
        size_ = detail::range_size(std::get<0>(ranges_));
        check_sizes(std::index_sequence_for<Ranges...>{});
    }

    iterator begin() { return iterator(std::apply([](auto&... r) { return std::make_tuple(std::begin(r)...); }, ranges_)); }
    iterator end() { return begin_plus_size(begin()); }
    /// @brief Read-only iteration, for a const zip (elements are tuples of const references).
    const_iterator begin() const {
        return const_iterator(std::apply([](auto&... r) { return std::make_tuple(std::begin(std::as_const(r))...); }, ranges_));
    }
    const_iterator end() const { return begin_plus_size(begin()); }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    /// @brief The zipped ranges (a backend that moves each range on its own, such as parmap::thrust, reads them).
    std::tuple<Ranges...>& ranges() noexcept { return ranges_; }
    /// @brief The zipped ranges, read-only.
    const std::tuple<Ranges...>& ranges() const noexcept { return ranges_; }

private:
    template <class It>
    It begin_plus_size(It it) const {
        if constexpr (all_random_access) {
            it += static_cast<std::ptrdiff_t>(size_);
        } else {
            for (std::size_t i = 0; i < size_; ++i) ++it;
        }
        return it;
    }

    template <std::size_t... I>
    void check_sizes(std::index_sequence<I...>) const {
        (check_size(I, detail::range_size(std::get<I>(ranges_))), ...);
    }

    void check_size(std::size_t index, std::size_t size) const {
        if (size != size_) {
            throw std::invalid_argument("parmap::zip: range 0 has " + std::to_string(size_) + " elements but range " +
                                        std::to_string(index) + " has " + std::to_string(size));
        }
    }

    std::tuple<Ranges...> ranges_;
    std::size_t size_ = 0;
};

/// @brief Zips ranges so that parallel_map calls f(a_i, b_i, ...); throws std::invalid_argument
/// naming both sizes when two ranges differ in length.
template <class... Ranges>
zip_view<Ranges...> zip(Ranges&&... ranges) {
    return zip_view<Ranges...>(std::forward<Ranges>(ranges)...);
}

namespace detail {

template <class Range>
struct is_zip : std::false_type {};
template <class... Rs>
struct is_zip<zip_view<Rs...>> : std::true_type {};
/// True for parmap::zip ranges.
template <class Range>
inline constexpr bool is_zip_v = is_zip<std::remove_cv_t<std::remove_reference_t<Range>>>::value;

} // namespace detail

} // namespace parmap

#include <parmap/lines.hpp>  // parmap::lines(std::istream&), the single-pass range imap reads most often
