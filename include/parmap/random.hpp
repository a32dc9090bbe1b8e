// parmap: reproducible random numbers. parmap::philox4x32 is Philox4x32-10, the counter-based generator
// published with Random123 (Salmon et al., SC'11): a keyed bijection of 128-bit counters, so element i of a
// map draws its own numbers from (seed, i) with no shared state, and a run gives the same numbers whatever
// backend, worker count or chunking computes it. parmap::uniform01<T> turns its bits into [0, 1) the same
// way on every compiler and device.
//
//   parmap::philox4x32 rng(seed);               // key = (low 32 bits of seed, high 32 bits of seed)
//   auto w = rng(i);                            // counter = (low32(i), high32(i), 0, 0): 4 random words
//   float x = parmap::uniform01<float>(w.v[0]); // (w >> 8) * 2^-24
//
// Stream layout (what the README states, so a run can be reproduced in another language):
//   rng(index, stream) with rng = philox4x32(seed) returns Philox4x32-10 of
//     counter = (index mod 2^32, index >> 32, stream mod 2^32, stream >> 32)    (counter words 0..3)
//     key     = (seed mod 2^32, seed >> 32)                                       (key words 0..1)
//   as four 32-bit words w[0..3], word 0 first, exactly as Random123's philox4x32(ctr, key) returns them.
//
// Bits to floating point (exact: every result is a multiple of the step, so no rounding mode matters):
//   uniform01<float>(std::uint32_t w)          = (w >> 8) * 2^-24                   in {0, 2^-24, ..., 1 - 2^-24}
//   uniform01<double>(std::uint64_t b)         = (b >> 11) * 2^-53                  in {0, 2^-53, ..., 1 - 2^-53}
//   uniform01<double>(std::uint32_t hi, lo)    = uniform01<double>(hi * 2^32 + lo)  (hi supplies the top 32 bits)
#pragma once

#include <parmap/device.hpp>

#include <cstdint>
#include <type_traits>

namespace parmap {

/// @brief Philox4x32-10 (Random123): 4 x 32-bit counter, 2 x 32-bit key, 10 rounds.
/// Checked against Random123's known-answer vectors (tests/random). Straight-line code that inlines
/// into the caller's loop, so a loop over counters vectorises.
/// @code
/// parmap::philox4x32 rng(42);
/// parmap::philox4x32::counter_type w = rng(7);  // sample 7 of seed 42, stream 0
/// double u = parmap::uniform01<double>(w.v[0], w.v[1]);
/// @endcode
class philox4x32 {
public:
    /// @brief A 128-bit counter, and also the type of a result: four 32-bit words, word 0 first.
    struct counter_type {
        std::uint32_t v[4];
    };
    /// @brief A 64-bit key as two 32-bit words, word 0 first.
    struct key_type {
        std::uint32_t v[2];
    };

    static constexpr std::uint32_t multiplier0 = 0xD2511F53u;  ///< Random123's PHILOX_M4x32_0
    static constexpr std::uint32_t multiplier1 = 0xCD9E8D57u;  ///< Random123's PHILOX_M4x32_1
    static constexpr std::uint32_t weyl0 = 0x9E3779B9u;        ///< key bump of word 0 (golden ratio)
    static constexpr std::uint32_t weyl1 = 0xBB67AE85u;        ///< key bump of word 1 (sqrt(3) - 1)
    static constexpr int rounds = 10;

    /// @brief The generator keyed by `key`.
    PARMAP_HD constexpr explicit philox4x32(key_type key) noexcept : key_(key) {}
    /// @brief The generator keyed by `seed`: key = (seed mod 2^32, seed >> 32).
    PARMAP_HD constexpr explicit philox4x32(std::uint64_t seed = 0) noexcept
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

    /// @brief The key this generator uses.
    PARMAP_HD constexpr key_type key() const noexcept { return key_; }

    /// @brief Philox4x32-10 of `counter` under this generator's key (Random123's philox4x32(ctr, key)).
    PARMAP_HD PARMAP_FORCE_INLINE constexpr counter_type operator()(counter_type counter) const noexcept {
        word c0 = counter.v[0], c1 = counter.v[1], c2 = counter.v[2], c3 = counter.v[3];
        word k0 = key_.v[0], k1 = key_.v[1];
        // Ten rounds written out, the key bumped between them, so that no compiler keeps a loop.
        round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        bump(k0, k1), round(c0, c1, c2, c3, k0, k1);
        return counter_type{{static_cast<std::uint32_t>(c0), static_cast<std::uint32_t>(c1), static_cast<std::uint32_t>(c2),
                             static_cast<std::uint32_t>(c3)}};
    }

    /// @brief The four words for element `index` of `stream`: counter = (low32(index), high32(index),
    /// low32(stream), high32(stream)).
    PARMAP_HD PARMAP_FORCE_INLINE constexpr counter_type operator()(std::uint64_t index, std::uint64_t stream = 0) const noexcept {
        return (*this)(counter_type{{static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32),
                                     static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)}});
    }

private:
#if defined(__CUDA_ARCH__)
    using word = std::uint32_t;  // the GPU has a 32-bit high-half multiply (mul.hi.u32)
#else
    // On the host every 32-bit word lives in a 64-bit integer whose high half is zero. The arithmetic
    // (Random123's, every result reduced mod 2^32) is the same, but a vectorised loop then keeps each word
    // in a 64-bit lane where one vpmuludq forms the whole 32 x 32 -> 64-bit product, instead of
    // shuffling between 32- and 64-bit lanes: 2 to 5x faster under g++ 12 and clang 14 (see README).
    using word = std::uint64_t;
#endif
    static constexpr word low32 = 0xFFFFFFFFu;

    // One round (Random123's _philox4x32round): two 32 x 32 -> 64-bit products, crossed into the words.
    PARMAP_HD PARMAP_FORCE_INLINE static constexpr void round(word& c0, word& c1, word& c2, word& c3, word k0, word k1) noexcept {
        const std::uint64_t p0 = std::uint64_t{multiplier0} * (c0 & low32);
        const std::uint64_t p1 = std::uint64_t{multiplier1} * (c2 & low32);
        c0 = static_cast<word>(p1 >> 32) ^ c1 ^ k0;
        c1 = static_cast<word>(p1 & low32);
        c2 = static_cast<word>(p0 >> 32) ^ c3 ^ k1;
        c3 = static_cast<word>(p0 & low32);
    }

    PARMAP_HD PARMAP_FORCE_INLINE static constexpr void bump(word& k0, word& k1) noexcept {
        k0 = (k0 + weyl0) & low32;
        k1 = (k1 + weyl1) & low32;
    }

    key_type key_;
};

/// @brief 32 random bits to a float in [0, 1): the top 24 bits times 2^-24, so 0 bits give 0 and all-one
/// bits give 1 - 2^-24. Exact (no rounding), the same on every compiler and device.
/// @code float x = parmap::uniform01<float>(parmap::philox4x32(seed)(i).v[0]); @endcode
template <class Real>
PARMAP_HD PARMAP_FORCE_INLINE constexpr Real uniform01(std::uint32_t bits) noexcept {
    static_assert(std::is_same_v<Real, float>,
                  "Note to the user: uniform01<float> takes one 32-bit word; uniform01<double> takes 64 bits: "
                  "uniform01<double>(std::uint64_t) or uniform01<double>(std::uint32_t hi, std::uint32_t lo).");
    return static_cast<float>(bits >> 8) * 0x1p-24f;
}

/// @brief 64 random bits to a double in [0, 1): the top 53 bits times 2^-53, so 0 bits give 0 and all-one
/// bits give 1 - 2^-53. Exact, the same on every compiler and device.
template <class Real>
PARMAP_HD PARMAP_FORCE_INLINE constexpr Real uniform01(std::uint64_t bits) noexcept {
    static_assert(std::is_same_v<Real, double>,
                  "Note to the user: uniform01<double> takes 64 bits; uniform01<float> takes one 32-bit word.");
    return static_cast<double>(bits >> 11) * 0x1p-53;
}

/// @brief Two random words to a double in [0, 1): uniform01<double>(hi * 2^32 + lo), so `hi` supplies the top
/// 32 bits and the top 21 bits of `lo` the rest.
/// @code auto w = rng(i); double u = parmap::uniform01<double>(w.v[0], w.v[1]); @endcode
template <class Real>
PARMAP_HD PARMAP_FORCE_INLINE constexpr Real uniform01(std::uint32_t hi, std::uint32_t lo) noexcept {
    static_assert(std::is_same_v<Real, double>, "Note to the user: uniform01<Real>(hi, lo) makes a double from two words.");
    return uniform01<double>((std::uint64_t{hi} << 32) | lo);
}

} // namespace parmap
