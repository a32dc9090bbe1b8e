// Must not compile, and the note must be the first error: f returns char, init is a std::string, and a
// block cannot start from a char (std::string has no constructor from one char).
#include <parmap/parmap.hpp>

#include <string>
#include <vector>

int main() {
    std::vector<char> xs{'a', 'b', 'c'};
#if defined(PARMAP_EXPECT_ERROR)
    auto f = [](char c) { return c; };
#else
    auto f = [](char c) { return std::string(1, c); };
#endif
    std::string s = parmap::parallel_map_reduce(parmap::threads, xs, f, std::string(), std::plus<>{});
    return s == "abc" ? 0 : 1;
}
