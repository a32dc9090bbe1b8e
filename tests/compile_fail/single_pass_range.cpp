// Must not compile, and the note must be the first error: a range over std::istream_iterator can be
// walked once only, and parallel_map walks its input twice (it used to give zeros, silently).
#include <parmap/parmap.hpp>

#include <iterator>
#include <sstream>
#include <vector>

template <class It>
struct range {
    It first, last;
    It begin() const { return first; }
    It end() const { return last; }
};

int main() {
    std::istringstream text("1 2 3");
#if defined(PARMAP_EXPECT_ERROR)
    range<std::istream_iterator<int>> xs{std::istream_iterator<int>(text), std::istream_iterator<int>()};
#else
    std::vector<int> xs{std::istream_iterator<int>(text), std::istream_iterator<int>()};
#endif
    auto ys = parmap::parallel_map(parmap::threads, xs, [](int x) { return x * 2; });
    return ys[0] == 2 ? 0 : 1;
}
