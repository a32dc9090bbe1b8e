// parmap::philox4x32 against Random123's known-answer vectors, its stream layout, and the exact
// bits-to-[0,1) conversions of parmap::uniform01.
#include <parmap/random.hpp>

#include <catch2/catch.hpp>

#include <cstdint>

namespace {

using parmap::philox4x32;
using words = philox4x32::counter_type;

bool same(const words& a, const words& b) {
    return a.v[0] == b.v[0] && a.v[1] == b.v[1] && a.v[2] == b.v[2] && a.v[3] == b.v[3];
}

// Random123 1.14, tests/kat_vectors, the three "philox4x32 10" lines: counter, key, expected output.
struct known_answer {
    words counter;
    philox4x32::key_type key;
    words expected;
};
constexpr known_answer known_answers[] = {
    {{{0x00000000u, 0x00000000u, 0x00000000u, 0x00000000u}}, {{0x00000000u, 0x00000000u}},
     {{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}}},
    {{{0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}}, {{0xffffffffu, 0xffffffffu}},
     {{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}}},
    {{{0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}}, {{0xa4093822u, 0x299f31d0u}},
     {{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}}},
};

// The generator is constexpr: the known answers hold at compile time too.
static_assert(philox4x32(known_answers[2].key)(known_answers[2].counter).v[0] == 0xd16cfe09u);
static_assert(philox4x32(known_answers[1].key)(known_answers[1].counter).v[3] == 0x6d5451fdu);

} // namespace

TEST_CASE("philox4x32 gives Random123's known answers", "[random][philox]") {
    for (const known_answer& k : known_answers) {
        const words got = philox4x32(k.key)(k.counter);
        INFO("counter " << std::hex << k.counter.v[0] << " key " << k.key.v[0] << " got " << got.v[0] << ' ' << got.v[1] << ' '
                        << got.v[2] << ' ' << got.v[3]);
        CHECK(same(got, k.expected));
    }
}

TEST_CASE("philox4x32's stream layout: key from the seed, counter from index and stream", "[random][philox]") {
    const std::uint64_t seed = 0x299f31d0a4093822ull;
    const philox4x32 rng(seed);
    CHECK(rng.key().v[0] == 0xa4093822u);
    CHECK(rng.key().v[1] == 0x299f31d0u);
    // rng(index, stream): counter = (low32(index), high32(index), low32(stream), high32(stream)).
    CHECK(same(rng(0x85a308d3243f6a88ull, 0x0370734413198a2eull), known_answers[2].expected));
    CHECK(same(philox4x32(0)(0), known_answers[0].expected));
    CHECK(same(philox4x32(~std::uint64_t{0})(~std::uint64_t{0}, ~std::uint64_t{0}), known_answers[1].expected));
    // The default stream is 0, and neighbouring indices, streams and seeds give different words.
    CHECK(same(rng(5), rng(5, 0)));
    CHECK(!same(rng(5), rng(6)));
    CHECK(!same(rng(5), rng(5, 1)));
    CHECK(!same(rng(5), philox4x32(seed + 1)(5)));
    CHECK(!same(rng(5), rng(5 + (std::uint64_t{1} << 32))));  // the high word of the index counts
}

TEST_CASE("uniform01 maps bits to 0 <= u < 1 exactly as documented", "[random][uniform01]") {
    SECTION("float: the top 24 bits times 2^-24") {
        CHECK(parmap::uniform01<float>(std::uint32_t{0}) == 0.0f);
        CHECK(parmap::uniform01<float>(std::uint32_t{0xffffffffu}) < 1.0f);
        CHECK(parmap::uniform01<float>(std::uint32_t{0xffffffffu}) == 1.0f - 0x1p-24f);
        CHECK(parmap::uniform01<float>(std::uint32_t{0x000000ffu}) == 0.0f);  // the low 8 bits are dropped
        CHECK(parmap::uniform01<float>(std::uint32_t{0x00000100u}) == 0x1p-24f);
        CHECK(parmap::uniform01<float>(std::uint32_t{0x80000000u}) == 0.5f);
        CHECK(parmap::uniform01<float>(std::uint32_t{0x12345678u}) == 1193046.0f / 16777216.0f);  // 0x123456 / 2^24
    }
    SECTION("double: the top 53 of 64 bits times 2^-53") {
        CHECK(parmap::uniform01<double>(std::uint64_t{0}) == 0.0);
        CHECK(parmap::uniform01<double>(~std::uint64_t{0}) < 1.0);
        CHECK(parmap::uniform01<double>(~std::uint64_t{0}) == 1.0 - 0x1p-53);
        CHECK(parmap::uniform01<double>(std::uint64_t{0x7ff}) == 0.0);  // the low 11 bits are dropped
        CHECK(parmap::uniform01<double>(std::uint64_t{0x800}) == 0x1p-53);
        CHECK(parmap::uniform01<double>(std::uint64_t{1} << 63) == 0.5);
    }
    SECTION("double from two words: the first supplies the top 32 bits") {
        CHECK(parmap::uniform01<double>(std::uint32_t{0}, std::uint32_t{0}) == 0.0);
        CHECK(parmap::uniform01<double>(std::uint32_t{0xffffffffu}, std::uint32_t{0xffffffffu}) == 1.0 - 0x1p-53);
        CHECK(parmap::uniform01<double>(std::uint32_t{0x80000000u}, std::uint32_t{0}) == 0.5);
        CHECK(parmap::uniform01<double>(std::uint32_t{0}, std::uint32_t{0x80000000u}) == 0x1p-33);
        CHECK(parmap::uniform01<double>(std::uint32_t{0x12345678u}, std::uint32_t{0x9abcdef0u}) ==
              static_cast<double>(0x123456789abcdef0ull >> 11) / 9007199254740992.0);  // 2^53
    }
    SECTION("every output of the generator lands in 0 <= u < 1") {
        const philox4x32 rng(7);
        for (std::uint64_t i = 0; i < 10000; ++i) {
            const words w = rng(i);
            for (std::uint32_t word : w.v) {
                const float f = parmap::uniform01<float>(word);
                REQUIRE((f >= 0.0f && f < 1.0f));
            }
            const double d = parmap::uniform01<double>(w.v[0], w.v[1]);
            REQUIRE((d >= 0.0 && d < 1.0));
        }
    }
}
