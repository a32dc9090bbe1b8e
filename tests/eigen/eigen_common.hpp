// parmap/eigen.hpp tests: what they share. They reuse the conformance suite's backends, chunkings and
// policies (tests/conformance/common.hpp) and run each case on serial, threads, openmp (and parmap::thrust
// on its CPU system where it is built) with 1 and 2 workers. Expected values come from plain loops over
// (i, j), never from parmap.
#pragma once

#include "conformance/common.hpp"

#include <parmap/eigen.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <string>
#include <type_traits>

namespace eigen_tests {

using conformance::backends;

/// Declares `name`: the running backend (TestType) with 1 and 2 workers and every chunking of the
/// conformance suite, named in every failure message.
#define EIGEN_TEST_POLICY(name)                                                 \
    const std::size_t workers = GENERATE(as<std::size_t>{}, 1, 2);              \
    const auto chunking = CONFORMANCE_CHUNKING();                               \
    CONFORMANCE_INFO(workers, chunking);                                        \
    const auto name = ::conformance::make_policy<TestType>(workers, chunking)

/// A rows x cols plain object with distinct, irregular coefficients (any Matrix or Array type).
template <class Plain>
Plain sample(Eigen::Index rows, Eigen::Index cols) {
    using scalar = typename Plain::Scalar;
    return Plain::NullaryExpr(rows, cols, [](Eigen::Index i, Eigen::Index j) {
        return static_cast<scalar>(std::sin(0.7 * static_cast<double>(i) + 1.3 * static_cast<double>(j)) * 100.0);
    });
}

/// f applied to every coefficient by a plain loop over (i, j): the expected result of parallel_map.
template <class Result, class Input, class F>
Result plain_map(const Input& input, F f) {
    Result result;
    result.resize(input.rows(), input.cols());
    for (Eigen::Index j = 0; j < input.cols(); ++j) {
        for (Eigen::Index i = 0; i < input.rows(); ++i) result(i, j) = f(input(i, j));
    }
    return result;
}

/// "" when `got` has the shape and the coefficients of `want`, else the first difference.
template <class Got, class Want>
std::string coefficient_mismatch(const Got& got, const Want& want) {
    if (got.rows() != want.rows() || got.cols() != want.cols()) {
        return "shapes differ: got " + std::to_string(got.rows()) + "x" + std::to_string(got.cols()) + ", want " +
               std::to_string(want.rows()) + "x" + std::to_string(want.cols());
    }
    for (Eigen::Index j = 0; j < want.cols(); ++j) {
        for (Eigen::Index i = 0; i < want.rows(); ++i) {
            if (!(got(i, j) == want(i, j))) {
                return "first difference at (" + std::to_string(i) + ", " + std::to_string(j) + "): got " +
                       Catch::Detail::stringify(got(i, j)) + ", want " + Catch::Detail::stringify(want(i, j));
            }
        }
    }
    return "";
}

/// "" when parallel_map(policy, input, f) equals f applied by a plain loop over `reference` (the input's
/// values), coefficient by coefficient; a compile error unless its type is exactly Expected.
template <class Expected, class Policy, class Input, class F, class Reference>
std::string map_mismatch(const Policy& policy, const Input& input, F f, const Reference& reference) {
    auto got = parmap::parallel_map(policy, input, f);
    static_assert(std::is_same_v<decltype(got), Expected>, "parallel_map over an Eigen input returned another type");
    return coefficient_mismatch(got, plain_map<Expected>(reference, f));
}

template <class Expected, class Policy, class Input, class F>
std::string map_mismatch(const Policy& policy, const Input& input, F f) {
    return map_mismatch<Expected>(policy, input, f, input);
}

}  // namespace eigen_tests
