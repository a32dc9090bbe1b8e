// Must not compile: .on(pool) picks a parmap::thread_pool, which only the threads backend uses.
#include <parmap/parmap.hpp>

#include <vector>

int main() {
    parmap::thread_pool pool(2);
#if defined(PARMAP_EXPECT_ERROR)
    auto policy = parmap::serial.on(pool);
#else
    auto policy = parmap::threads.on(pool);
#endif
    std::vector<int> xs{1, 2, 3};
    auto ys = parmap::parallel_map(policy, xs, [](int x) { return x + 1; });
    return ys[0] == 2 ? 0 : 1;
}
