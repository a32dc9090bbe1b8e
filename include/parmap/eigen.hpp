// parmap for Eigen: a dense Eigen matrix, array or expression as parallel_map's input gives an Eigen object
// of the same shape, f applied to every coefficient (numpy's element-wise role), on every backend.
//
//   #include <parmap/eigen.hpp>
//   Eigen::MatrixXd m = Eigen::MatrixXd::Random(300, 200);
//   Eigen::MatrixXd e = parmap::parallel_map(parmap::threads, m, [](double x) { return std::exp(x); });    // 300 x 200
//   Eigen::MatrixXi r = parmap::parallel_map(parmap::openmp, m.transpose(), [](double x) { return int(x > 0); });
//   double s = parmap::parallel_map_reduce(parmap::threads, m.block(0, 0, 10, 10), square, 0.0, std::plus<>{});
//
// A std::vector of fixed-size matrices (std::vector<Eigen::Matrix3d>) is a plain range: f receives one
// matrix. This header also tells parmap::thrust that fixed-size Eigen matrices may be copied to a device.
// Needs Eigen 3.3 or later (link Eigen3::Eigen in CMake).
#pragma once

#include <parmap/device.hpp>
#include <parmap/parallel_map.hpp>

#include <Eigen/Core>

#include <cstddef>
#include <type_traits>
#include <utility>

namespace parmap {
namespace detail {

template <class T>
inline constexpr bool is_eigen_dense_v = std::is_base_of_v<Eigen::DenseBase<T>, T>;

template <class T>
inline constexpr bool is_eigen_object_v = std::is_base_of_v<Eigen::EigenBase<T>, T>;

/// What Eigen can store as a coefficient: it default-constructs and assigns its scalars.
template <class R>
inline constexpr bool is_eigen_scalar_v =
    !std::is_void_v<R> && !is_eigen_object_v<R> && std::is_default_constructible_v<R> && std::is_copy_assignable_v<R>;

/// The plain Matrix or Array of the same shape, storage order and kind as Plain, with scalar R.
template <class Plain, class R>
struct eigen_rebind;
template <class S, int Rows, int Cols, int Options, int MaxRows, int MaxCols, class R>
struct eigen_rebind<Eigen::Matrix<S, Rows, Cols, Options, MaxRows, MaxCols>, R> {
    using type = Eigen::Matrix<R, Rows, Cols, Options, MaxRows, MaxCols>;
};
template <class S, int Rows, int Cols, int Options, int MaxRows, int MaxCols, class R>
struct eigen_rebind<Eigen::Array<S, Rows, Cols, Options, MaxRows, MaxCols>, R> {
    using type = Eigen::Array<R, Rows, Cols, Options, MaxRows, MaxCols>;
};

/// True when the coefficients of `x` lie one after another in its storage order, so that coefficient k
/// (in that order) is x.data()[k]. Map, Ref and Block may have strides; a transpose is read in place.
template <class Derived>
bool eigen_is_contiguous(const Derived& x) {
    return (x.innerSize() <= 1 || x.innerStride() == 1) && (x.outerSize() <= 1 || x.outerStride() == x.innerSize());
}

/// @brief The coefficients of an Eigen dense object in its storage order, as a contiguous range of
/// `const Scalar`. Objects whose memory already is that range are read in place; anything else
/// (expressions, strided maps and blocks) is evaluated once into an owned plain object, which lives
/// as long as this range does. Moving or copying the range keeps it valid.
template <class Derived>
class eigen_coefficients {
public:
    using plain_type = typename Derived::PlainObject;
    using scalar_type = typename Derived::Scalar;

    explicit eigen_coefficients(const Derived& input) : size_(static_cast<std::size_t>(input.size())) {
        if constexpr ((int(Derived::Flags) & Eigen::DirectAccessBit) != 0) {
            if (eigen_is_contiguous(input)) {
                in_place_ = input.data();
                return;
            }
        }
        owned_ = input;  // evaluates an expression, or gathers a strided one, once
    }

    const scalar_type* begin() const noexcept { return in_place_ != nullptr ? in_place_ : owned_.data(); }
    const scalar_type* end() const noexcept { return begin() + size_; }
    std::size_t size() const noexcept { return size_; }

private:
    std::size_t size_;
    const scalar_type* in_place_ = nullptr;
    plain_type owned_;
};

} // namespace detail

/// @brief parallel_map and parallel_map_reduce over Eigen's dense types (Matrix, Array, Map, Ref, Block and
/// expressions such as `a * 2` or `m.transpose()`), coefficient by coefficient.
/// parallel_map(policy, m, f) returns a plain object with m's rows, columns and storage order whose scalar
/// is f's result type: an Eigen::Matrix for matrix inputs, an Eigen::Array for array inputs. An expression
/// is evaluated once before the map. parallel_map_reduce(policy, m, f, init, op) reduces f over the
/// coefficients in storage order, with the same bits on every backend.
template <class T>
struct input_adapter<T, std::enable_if_t<detail::is_eigen_dense_v<T>>> {
    static constexpr bool enabled = true;

    template <class Policy, class F>
    static auto map(const Policy& policy, const T& input, F&& f) {
        using scalar = typename T::Scalar;
        static_assert(std::is_invocable_v<F&, const scalar&>,
                      "Note to the user: with an Eigen input, parallel_map calls f with one coefficient (a Scalar), "
                      "not a row or a column. To map whole small matrices, put them in a std::vector<Eigen::Matrix3d>.");
        if constexpr (std::is_invocable_v<F&, const scalar&>) {
            using R = std::decay_t<std::invoke_result_t<F&, const scalar&>>;
            static_assert(!std::is_void_v<R>,
                          "Note to the user: f returns void, so there is nothing to collect: use parmap::parallel_for.");
            static_assert(std::is_void_v<R> || detail::is_eigen_scalar_v<R>,
                          "Note to the user: with an Eigen input, f returns one coefficient of the result, so its result "
                          "type must be able to be an Eigen scalar: default-constructible and copy-assignable, not an Eigen "
                          "matrix or expression. To map whole small matrices, put them in a std::vector<Eigen::Matrix3d>.");
            if constexpr (detail::is_eigen_scalar_v<R>) {
                using result_type = typename detail::eigen_rebind<typename T::PlainObject, R>::type;
                const detail::eigen_coefficients<T> in(input);
                result_type out;
                out.resize(input.rows(), input.cols());
                // The iterator form over raw pointers, so that every backend maps Eigen data without code of
                // its own (parmap::thrust copies pointer ranges to the device; parmap::mpi refuses the form).
                parallel_map(policy, in.begin(), in.end(), out.data(), f);
                return out;
            }
        }
    }

    /// The coefficients in storage order; an expression is evaluated into the returned range, which owns it.
    static detail::eigen_coefficients<T> elements(const T& input) { return detail::eigen_coefficients<T>(input); }
};

/// @brief Fixed-size Eigen matrices and arrays of device-copyable scalars are bitwise copyable (although
/// they declare copy constructors), so a std::vector<Eigen::Matrix3d> may go to parmap::thrust's device.
/// Dynamic-size ones own heap memory and are not.
template <class S, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
struct is_device_copyable<Eigen::Matrix<S, Rows, Cols, Options, MaxRows, MaxCols>,
                          std::enable_if_t<Rows != Eigen::Dynamic && Cols != Eigen::Dynamic && is_device_copyable<S>::value>>
    : std::true_type {};

template <class S, int Rows, int Cols, int Options, int MaxRows, int MaxCols>
struct is_device_copyable<Eigen::Array<S, Rows, Cols, Options, MaxRows, MaxCols>,
                          std::enable_if_t<Rows != Eigen::Dynamic && Cols != Eigen::Dynamic && is_device_copyable<S>::value>>
    : std::true_type {};

} // namespace parmap
