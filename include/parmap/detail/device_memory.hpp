// parmap::thrust's device memory and inputs: device_buffer (uninitialised device memory copied as bytes),
// device_source, which turns each kind of input (host range, device_vector, iota, zip) into what the
// device functors index, and what the iterator form makes of host and device iterators.
#pragma once

#include <parmap/detail/device_functions.hpp>
#include <parmap/detail/thrust_config.hpp>
#include <parmap/device.hpp>
#include <parmap/ranges.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace parmap::detail {

// ---- device memory ---------------------------------------------------------------------------------

/// Device memory for n objects of T, uninitialised, copied to and from the host as bytes: every
/// is_device_copyable type (Eigen's fixed-size ones too) moves by memcpy (cudaMemcpy on the GPU), never
/// element by element, and nothing is filled before f writes it.
template <class T>
class device_buffer {
public:
    explicit device_buffer(std::size_t n) : n_(n) {
        if (n_ != 0) bytes_ = ::thrust::device_malloc<unsigned char>(n_ * sizeof(T));
    }
    device_buffer(device_buffer&& other) noexcept : n_(other.n_), bytes_(other.bytes_) {
        other.n_ = 0;
        other.bytes_ = {};
    }
    device_buffer(const device_buffer&) = delete;
    device_buffer& operator=(const device_buffer&) = delete;
    device_buffer& operator=(device_buffer&&) = delete;
    ~device_buffer() {
        if (bytes_.get() == nullptr) return;
        try {
            ::thrust::device_free(bytes_);
        } catch (...) {  // a failing device cannot be reported from a destructor; the call reports it
        }
    }

    T* data() noexcept { return reinterpret_cast<T*>(bytes_.get()); }
    const T* data() const noexcept { return reinterpret_cast<const T*>(bytes_.get()); }

    void copy_from_host(const T* host) {
        if (n_ == 0) return;
#if PARMAP_THRUST_CUDA
        const auto* first = reinterpret_cast<const unsigned char*>(host);
        ::thrust::copy(first, first + n_ * sizeof(T), bytes_);
#else
        std::memcpy(bytes_.get(), static_cast<const void*>(host), n_ * sizeof(T));  // the CPU systems' device memory is host memory
#endif
    }
    void copy_to_host(T* host) const {
        if (n_ == 0) return;
#if PARMAP_THRUST_CUDA
        ::thrust::copy(bytes_, bytes_ + static_cast<std::ptrdiff_t>(n_ * sizeof(T)), reinterpret_cast<unsigned char*>(host));
#else
        std::memcpy(static_cast<void*>(host), bytes_.get(), n_ * sizeof(T));  // T is device-copyable: bytes suffice
#endif
    }
    /// The n objects as a std::vector (through a plain array for bool, which std::vector packs into bits).
    std::vector<T> to_host() const {
        if constexpr (std::is_same_v<T, bool>) {
            std::unique_ptr<bool[]> staged(new bool[n_]);
            copy_to_host(staged.get());
            return std::vector<T>(staged.get(), staged.get() + n_);
        } else {
            std::vector<T> out(n_);
            copy_to_host(out.data());
            return out;
        }
    }

private:
    std::size_t n_;
    ::thrust::device_ptr<unsigned char> bytes_{};
};

// ---- inputs on the device --------------------------------------------------------------------------

template <class T>
struct is_device_vector : std::false_type {};
template <class T, class A>
struct is_device_vector<::thrust::device_vector<T, A>> : std::true_type {};

template <class R, class = void>
struct has_data_member : std::false_type {};
template <class R>
struct has_data_member<R, std::void_t<decltype(std::declval<R&>().data())>> : std::true_type {};


/// first + i, in the unsigned twin of Int, like iota_view (no signed overflow on long ranges). A kernel's
/// template argument, so it lives at namespace scope (nvcc's host stubs name it).
template <class Int>
struct iota_at {
    Int first;
    PARMAP_HD Int operator()(std::size_t i) const {
        using unsigned_int = std::make_unsigned_t<Int>;
        return static_cast<Int>(static_cast<unsigned_int>(static_cast<unsigned_int>(first) + static_cast<unsigned_int>(i)));
    }
};

template <class Range, class Kind = void>
class device_source;

/// An input range as a device iterator: host ranges are copied into device memory as bytes (contiguous
/// ones straight from their storage, others through a staging array; on the CPU systems, contiguous ones
/// are read in place). Each kind has value_type (what f
/// receives), values (arguments<...>), on_device (whether results stay on the device) and begin().
template <class Range>
class device_source<Range, std::enable_if_t<!is_device_vector<std::remove_cv_t<Range>>::value &&
                                            !is_iota_v<Range> && !is_zip_v<Range>>> {
public:
    using value_type = std::decay_t<decltype(*std::begin(std::declval<Range&>()))>;
    using values = arguments<value_type>;
    static constexpr bool on_device = false;
    static_assert(is_device_copyable_v<value_type>,
                  "Note to the user: parmap::thrust copies the input to the device as bytes, so its elements must be "
                  "trivially copyable (numbers, structs of numbers); parmap::is_device_copyable says which types are.");

    explicit device_source(Range& r) : data_(copied_in ? range_size(r) : 0) {
        const std::size_t n = range_size(r);
        if (n == 0) return;
        if constexpr (!copied_in) {
            first_ = r.data();
        } else if constexpr (contiguous) {
            data_.copy_from_host(r.data());
        } else {
            std::unique_ptr<value_type[]> staged(new value_type[n]);
            std::copy(std::begin(r), std::end(r), staged.get());
            data_.copy_from_host(staged.get());
        }
    }
    const value_type* begin() const { return copied_in ? data_.data() : first_; }

private:
    static constexpr bool contiguous = has_data_member<Range>::value && !std::is_same_v<value_type, bool>;
    // On the CPU systems device memory is host memory: a contiguous input is read where it is.
    static constexpr bool copied_in = PARMAP_THRUST_CUDA || !contiguous;
    device_buffer<value_type> data_;
    const value_type* first_ = nullptr;
};

/// A device_vector: used where it is, and the results stay on the device.
template <class Range>
class device_source<Range, std::enable_if_t<is_device_vector<std::remove_cv_t<Range>>::value>> {
public:
    using value_type = typename std::remove_cv_t<Range>::value_type;
    using values = arguments<value_type>;
    static constexpr bool on_device = true;

    explicit device_source(Range& r) : first_(::thrust::raw_pointer_cast(r.data())) {}
    const value_type* begin() const { return first_; }

private:
    const value_type* first_;
};

/// parmap::iota: a counting iterator, nothing stored.
template <class Range>
class device_source<Range, std::enable_if_t<is_iota_v<Range>>> {
public:
    using value_type = std::decay_t<decltype(*std::declval<Range&>().begin())>;
    using values = arguments<value_type>;
    static constexpr bool on_device = false;

    explicit device_source(Range& r) : first_(*r.begin()) {}
    auto begin() const { return ::thrust::make_transform_iterator(::thrust::counting_iterator<std::size_t>(0), iota_at<value_type>{first_}); }

private:
    value_type first_;
};

/// parmap::zip: each range on its own, walked by a zip_iterator; f receives one argument per range.
/// The results stay on the device when any zipped range is a device_vector.
template <class Range>
class device_source<Range, std::enable_if_t<is_zip_v<Range>>> {
    template <class Parts>
    struct split;
    template <class... Rs>
    struct split<zip_view<Rs...>> {
        // Each range is only read, through the zip's read-only ranges().
        using parts = std::tuple<device_source<const std::remove_reference_t<Rs>>...>;
        using values = arguments<typename device_source<const std::remove_reference_t<Rs>>::value_type...>;
        static constexpr bool on_device = (device_source<const std::remove_reference_t<Rs>>::on_device || ...);
    };
    using zip = std::remove_cv_t<Range>;
    using parts = typename split<zip>::parts;

public:
    using values = typename split<zip>::values;
    static constexpr bool on_device = split<zip>::on_device;

    explicit device_source(Range& z)
        : parts_(make_parts(std::as_const(z).ranges(), std::make_index_sequence<std::tuple_size_v<parts>>{})) {}
    auto begin() const {
        return std::apply([](const auto&... p) { return ::thrust::make_zip_iterator(p.begin()...); }, parts_);
    }

private:
    template <class Tuple, std::size_t... I>
    static parts make_parts(const Tuple& ranges, std::index_sequence<I...>) {
        return parts(std::tuple_element_t<I, parts>(std::get<I>(ranges))...);
    }
    parts parts_;
};

// ---- iterators ----------------------------------------------------------------------------------

template <class It>
inline constexpr bool is_device_iterator_v =
    std::is_convertible_v<typename ::thrust::iterator_system<It>::type, ::thrust::device_system_tag>;

template <class It>
struct is_zip_iterator : std::false_type {};
template <class Tuple>
struct is_zip_iterator<::thrust::zip_iterator<Tuple>> : std::true_type {};

/// A device iterator as what the functors index: contiguous device memory as a raw pointer (also inside a
/// zip_iterator), so that no element goes through a device_reference on the host.
template <class It>
auto device_iterator(It it);

template <class Zip, std::size_t... I>
auto device_zip_iterator(const Zip& zip, std::index_sequence<I...>) {
    return ::thrust::make_zip_iterator(device_iterator(::thrust::get<I>(zip.get_iterator_tuple()))...);
}

template <class It>
auto device_iterator(It it) {
    if constexpr (is_zip_iterator<It>::value) {
        return device_zip_iterator(it, std::make_index_sequence<::thrust::tuple_size<typename It::iterator_tuple>::value>{});
    } else if constexpr (::thrust::is_contiguous_iterator<It>::value && !std::is_pointer_v<It>) {
        return ::thrust::raw_pointer_cast(&*it);
    } else {
        return it;
    }
}

template <class It>
using host_value_t = std::remove_reference_t<typename std::iterator_traits<It>::reference>;

/// Host iterators over contiguous memory (pointers, std::vector's), except std::vector<bool>'s proxies.
template <class It>
inline constexpr bool is_contiguous_host_v = ::thrust::is_contiguous_iterator<It>::value && !is_device_iterator_v<It> &&
                                             std::is_reference_v<typename std::iterator_traits<It>::reference>;

/// Contiguous host elements as a range with data(), which device_source copies as bytes (or reads in place).
template <class T>
struct host_span {
    T* first;
    std::size_t n;
    T* data() const { return first; }
    T* begin() const { return first; }
    T* end() const { return first + n; }
    std::size_t size() const { return n; }
};

/// [first, last) as a range, for copying host iterators to the device.
template <class It>
struct iterator_range {
    It first, last;
    It begin() const { return first; }
    It end() const { return last; }
    std::size_t size() const { return static_cast<std::size_t>(std::distance(first, last)); }
};

} // namespace parmap::detail
