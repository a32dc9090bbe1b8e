// Checks number.hpp's fast path against fast_float on random decimal fields: the same bits for every field
// the fast path takes, and both refuse the same non-numbers. Prints "N fields, the same bits".
#include "../number.hpp"

#include <cstdio>
#include <cstring>
#include <random>
#include <string>

namespace {

std::string random_decimal(std::mt19937_64& random) {
    const int digits = 1 + static_cast<int>(random() % 17), decimals = static_cast<int>(random() % 6);
    std::string text = random() % 4 == 0 ? "-" : "";
    for (int i = 0; i < digits; ++i) {
        if (decimals > 0 && i == digits - decimals) text += i == 0 ? "0." : ".";
        text += static_cast<char>('0' + random() % 10);
    }
    return text;
}

} // namespace

int main() {
    std::mt19937_64 random(2017);
    long fields = 0, fast = 0, different = 0;
    for (; fields < 2000000; ++fields) {
        const std::string text = random_decimal(random);
        double mine = 0, theirs = 0;
        const bool took = taxi::parse_plain_decimal(text.data(), text.data() + text.size(), mine);
        fast_float::from_chars(text.data(), text.data() + text.size(), theirs);
        fast += took;
        if (took && std::memcmp(&mine, &theirs, sizeof mine) != 0 && different++ < 5) {
            std::printf("%s: fast path %.17g, fast_float %.17g\n", text.c_str(), mine, theirs);
        }
    }
    for (const char* bad : {"", "-", ".", "1.2.3", "n/a", "+1", "1e", " 1", "1 ", "inf", "nan"}) {
        double value = 0;
        if (taxi::parse_number(bad, bad + std::strlen(bad), value)) std::printf("'%s' was taken as a number\n", bad), ++different;
    }
    std::printf("%ld fields (%ld by the fast path), %s\n", fields, fast, different == 0 ? "the same bits" : "DIFFERENT");
    return different == 0 ? 0 : 1;
}
