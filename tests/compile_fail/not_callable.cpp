// Must not compile: f takes a std::string, the input holds ints.
#include <parmap/parmap.hpp>

#include <string>
#include <vector>

int main() {
#if defined(PARMAP_EXPECT_ERROR)
    std::vector<int> xs{1, 2, 3};
#else
    std::vector<std::string> xs{"a", "bb", "ccc"};
#endif
    auto sizes = parmap::parallel_map(parmap::serial, xs, [](const std::string& s) { return s.size(); });
    return sizes[0] == 1 ? 0 : 1;
}
