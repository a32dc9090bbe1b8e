// Must not compile: imap streams on a thread pool, so parmap::openmp is refused with a message that
// names the policy to use (parmap::threads).
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    std::vector<int> xs{1, 2, 3};
    long sum = 0;
#if defined(PARMAP_EXPECT_ERROR)
    for (long y : parmap::imap(parmap::openmp, xs, [](int x) { return long{x}; })) sum += y;
#else
    for (long y : parmap::imap(parmap::threads, xs, [](int x) { return long{x}; })) sum += y;
#endif
    return sum == 6 ? 0 : 1;
}
