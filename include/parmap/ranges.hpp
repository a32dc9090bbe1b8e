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
#include <istream>

namespace parmap {

/// @brief The integers [first, last) as a random-access range that stores only its two ends.
template <class Int>
class iota_view {
    static_assert(std::is_integral_v<Int> && !std::is_same_v<Int, bool>, "Note to the user: parmap::iota takes an integer type.");

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
        constexpr Int operator[](difference_type k) const noexcept { return static_cast<Int>(value_ + static_cast<Int>(k)); }
        constexpr iterator& operator++() noexcept { ++value_; return *this; }
        constexpr iterator operator++(int) noexcept { iterator old = *this; ++value_; return old; }
        constexpr iterator& operator--() noexcept { --value_; return *this; }
        constexpr iterator operator--(int) noexcept { iterator old = *this; --value_; return old; }
        constexpr iterator& operator+=(difference_type k) noexcept { value_ = static_cast<Int>(value_ + static_cast<Int>(k)); return *this; }
        constexpr iterator& operator-=(difference_type k) noexcept { value_ = static_cast<Int>(value_ - static_cast<Int>(k)); return *this; }
        friend constexpr iterator operator+(iterator it, difference_type k) noexcept { return it += k; }
        friend constexpr iterator operator+(difference_type k, iterator it) noexcept { return it += k; }
        friend constexpr iterator operator-(iterator it, difference_type k) noexcept { return it -= k; }
        friend constexpr difference_type operator-(iterator a, iterator b) noexcept {
            return static_cast<difference_type>(a.value_) - static_cast<difference_type>(b.value_);
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
    constexpr std::size_t size() const noexcept { return static_cast<std::size_t>(last_ - first_); }
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

template <class R>
using range_iterator_t = decltype(std::begin(std::declval<R&>()));

template <class It>
using iterator_category_t = typename std::iterator_traits<It>::iterator_category;

template <class It>
inline constexpr bool is_random_access_v = std::is_base_of_v<std::random_access_iterator_tag, iterator_category_t<It>>;

template <class It>
inline constexpr bool is_forward_v = std::is_base_of_v<std::forward_iterator_tag, iterator_category_t<It>>;

} // namespace detail

/// @brief Several ranges walked in step; its elements are std::tuples of references to theirs.
/// Lvalue ranges are referenced, rvalue ranges are moved in and owned. Sizes must match.
template <class... Ranges>
class zip_view {
    static_assert(sizeof...(Ranges) > 0, "Note to the user: parmap::zip needs at least one range.");

    using iterators = std::tuple<detail::range_iterator_t<std::remove_reference_t<Ranges>>...>;
    static constexpr bool all_random_access = (detail::is_random_access_v<detail::range_iterator_t<std::remove_reference_t<Ranges>>> && ...);

public:
    class iterator {
    public:
        using iterator_category = std::conditional_t<all_random_access, std::random_access_iterator_tag, std::forward_iterator_tag>;
        using reference = std::tuple<typename std::iterator_traits<detail::range_iterator_t<std::remove_reference_t<Ranges>>>::reference...>;
        using value_type = reference;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        /// parallel_map calls f(a, b, ...) with the tuple's parts, not f(tuple).
        static constexpr bool spreads_arguments = true;

        iterator() = default;
        explicit iterator(iterators its) : its_(std::move(its)) {}

        reference operator*() const {
            return std::apply([](const auto&... it) { return reference(*it...); }, its_);
        }
        reference operator[](difference_type k) const { return *(*this + k); }
        iterator& operator++() { std::apply([](auto&... it) { (++it, ...); }, its_); return *this; }
        iterator operator++(int) { iterator old = *this; ++*this; return old; }
        iterator& operator--() { std::apply([](auto&... it) { (--it, ...); }, its_); return *this; }
        iterator& operator+=(difference_type k) { std::apply([k](auto&... it) { ((it += k), ...); }, its_); return *this; }
        iterator& operator-=(difference_type k) { return *this += -k; }
        friend iterator operator+(iterator it, difference_type k) { return it += k; }
        friend iterator operator+(difference_type k, iterator it) { return it += k; }
        friend iterator operator-(iterator it, difference_type k) { return it -= k; }
        friend difference_type operator-(const iterator& a, const iterator& b) {
            return static_cast<difference_type>(std::get<0>(a.its_) - std::get<0>(b.its_));
        }
        // Every component moves in step, so the first one decides equality and order.
        friend bool operator==(const iterator& a, const iterator& b) { return std::get<0>(a.its_) == std::get<0>(b.its_); }
        friend bool operator!=(const iterator& a, const iterator& b) { return !(a == b); }
        friend bool operator<(const iterator& a, const iterator& b) { return std::get<0>(a.its_) < std::get<0>(b.its_); }
        friend bool operator>(const iterator& a, const iterator& b) { return b < a; }
        friend bool operator<=(const iterator& a, const iterator& b) { return !(b < a); }
        friend bool operator>=(const iterator& a, const iterator& b) { return !(a < b); }

    private:
        iterators its_;
    };

    /// @brief Throws std::invalid_argument naming both sizes when the ranges differ in length.
    explicit zip_view(Ranges&&... ranges) : ranges_(std::forward<Ranges>(ranges)...) {
        size_ = detail::range_size(std::get<0>(ranges_));
        check_sizes(std::index_sequence_for<Ranges...>{});
    }

    iterator begin() { return iterator(std::apply([](auto&... r) { return iterators(std::begin(r)...); }, ranges_)); }
    iterator end() { return begin_plus_size(); }
    std::size_t size() const noexcept { return size_; }
    bool empty() const noexcept { return size_ == 0; }
    /// @brief The zipped ranges (a backend that moves each range on its own, such as parmap::thrust, reads them).
    std::tuple<Ranges...>& ranges() noexcept { return ranges_; }

private:
    iterator begin_plus_size() {
        iterator it = begin();
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

template <class It, class = void>
struct spreads_arguments : std::false_type {};
template <class It>
struct spreads_arguments<It, std::void_t<decltype(It::spreads_arguments)>> : std::bool_constant<It::spreads_arguments> {};

/// Calls f with the element: its parts as separate arguments for zip iterators, else the element itself.
template <class It, class F, class E>
decltype(auto) call_element(F& f, E&& element) {
    if constexpr (spreads_arguments<It>::value) {
        return std::apply(f, std::forward<E>(element));
    } else {
        return std::invoke(f, std::forward<E>(element));
    }
}

// What f returns for an element, found without instantiating call_element (whose deduced return
// type would turn "not callable" into a hard error instead of the static_assert written for the user).
// Each has a member `type` only when the call is valid, like std::invoke_result.
template <class F, class Tuple, class Indices>
struct apply_result {};
template <class F, class Tuple, std::size_t... I>
struct apply_result<F, Tuple, std::index_sequence<I...>>
    : std::invoke_result<F, decltype(std::get<I>(std::declval<Tuple>()))...> {};

template <class It, class F, class E = decltype(*std::declval<It&>()), bool Spread = spreads_arguments<It>::value>
struct element_result : std::invoke_result<F&, E> {};
template <class It, class F, class E>
struct element_result<It, F, E, true>
    : apply_result<F&, E, std::make_index_sequence<std::tuple_size_v<std::remove_reference_t<E>>>> {};

/// Whether f can be called with element E of an It (by default what *it gives) and what it returns.
template <class It, class F, class E = decltype(*std::declval<It&>()), class = void>
struct element_call {
    static constexpr bool invocable = false;
    using type = void;
};
template <class It, class F, class E>
struct element_call<It, F, E, std::void_t<typename element_result<It, F, E>::type>> {
    static constexpr bool invocable = true;
    using type = typename element_result<It, F, E>::type;
};

/// Element i of a sequence, in O(1): random-access iterators are indexed directly, forward ones are
/// walked once up front and their iterators kept.
template <class It, bool RandomAccess = is_random_access_v<It>>
class element_source {
public:
    element_source(It first, std::size_t) : first_(first) {}
    decltype(auto) operator[](std::size_t i) const {
        return first_[static_cast<typename std::iterator_traits<It>::difference_type>(i)];
    }

private:
    It first_;
};

template <class It>
class element_source<It, false> {
public:
    element_source(It first, std::size_t n) {
        iterators_.reserve(n);
        for (std::size_t i = 0; i < n; ++i, ++first) iterators_.push_back(first);
    }
    decltype(auto) operator[](std::size_t i) const { return *iterators_[i]; }

private:
    std::vector<It> iterators_;
};

} // namespace detail

/// @brief The lines of a std::istream as a single-pass range of std::string, read one at a time as it is
/// walked (for parmap::imap). A trailing '\r' is dropped (CRLF files), and a last line without '\n' is
/// kept. A read error (badbit) throws std::runtime_error from the iterator. The stream must outlive it.
class lines_view {
public:
    /// @brief Reads one line per step; the end compares equal to a default-constructed iterator.
    class iterator {
    public:
        using iterator_category = std::input_iterator_tag;
        using value_type = std::string;
        using difference_type = std::ptrdiff_t;
        using reference = const std::string&;
        using pointer = const std::string*;

        iterator() = default;
        explicit iterator(std::istream& in) : in_(&in) { read(); }
        reference operator*() const noexcept { return line_; }
        pointer operator->() const noexcept { return &line_; }
        iterator& operator++() { read(); return *this; }
        friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.in_ == b.in_; }
        friend bool operator!=(const iterator& a, const iterator& b) noexcept { return a.in_ != b.in_; }

    private:
        void read() {
            if (!std::getline(*in_, line_)) {
                if (in_->bad()) throw std::runtime_error("parmap::lines: the stream reported a read error");
                in_ = nullptr;  // the end
            } else if (!line_.empty() && line_.back() == '\r') {
                line_.pop_back();
            }
        }
        std::istream* in_ = nullptr;
        std::string line_;
    };

    explicit lines_view(std::istream& in) noexcept : in_(in) {}
    iterator begin() { return iterator(in_); }
    iterator end() const noexcept { return iterator(); }

private:
    std::istream& in_;
};

/// @brief The lines of `in`, e.g. `for (auto&& n : parmap::imap(parmap::threads, parmap::lines(file), count_words))`.
inline lines_view lines(std::istream& in) noexcept { return lines_view(in); }

} // namespace parmap
