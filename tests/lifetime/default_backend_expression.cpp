// PARMAP_DEFAULT_BACKEND may be a policy expression (the build defines threads.workers(2)): the default
// policy is kept by value, so calls without a policy use it (it used to return a dangling reference).
#include <parmap/parmap.hpp>

#include <cstdio>
#include <type_traits>

int main() {
    static_assert(std::is_same_v<decltype(parmap::default_policy()), parmap::policy<parmap::threads_backend>>);
    if (parmap::default_policy().options().workers != 2) {
        std::puts("the default policy lost its .workers(2)");
        return 1;
    }
    const auto ys = parmap::parallel_map(parmap::iota(100000), [](int i) { return i * 2; });
    long long sum = 0;
    for (int y : ys) sum += y;
    const long long want = 100000LL * 99999;
    std::printf("sum %lld (want %lld)\n", sum, want);
    return sum == want ? 0 : 1;
}
