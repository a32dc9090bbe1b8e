// Must not compile: .on(stream) picks a CUDA stream, which only parmap::thrust uses.
#include <parmap/thrust.hpp>

#include <vector>

int main() {
    CUstream_st* stream = nullptr;  // cudaStream_t, without CUDA's headers
#if defined(PARMAP_EXPECT_ERROR)
    auto policy = parmap::threads.on(stream);
#else
    auto policy = parmap::thrust.on(stream);
#endif
    std::vector<int> xs{1, 2, 3};
    auto ys = parmap::parallel_map(policy, xs, [](int x) { return x + 1; });
    return ys[0] == 2 ? 0 : 1;
}
