// A CUDA build on a machine without a usable GPU: the first call throws parmap::device_error saying
// "no CUDA device", for every front-end, and does not crash. Where a GPU is present it has nothing to
// check and exits 77 (skipped). parmap::verify lists the GPU as skipped there, not as a failure.
#include <parmap/thrust.hpp>
#include <parmap/verify.hpp>

#include <cstdio>
#include <string>
#include <vector>

namespace {

struct twice {
    PARMAP_HD int operator()(int x) const { return 2 * x; }
};

template <class Call>
bool says_no_device(const char* what, Call call) {
    try {
        call();
    } catch (const parmap::device_error& e) {
        const bool ok = std::string(e.what()).find("parmap::thrust: no CUDA device") == 0;
        std::printf("%s: %s: %s\n", ok ? "ok" : "WRONG MESSAGE", what, e.what());
        return ok;
    }
    std::printf("FAILED: %s: no parmap::device_error\n", what);
    return false;
}

}  // namespace

int main() {
    int count = 0;
    if (cudaGetDeviceCount(&count) == cudaSuccess && count > 0) {
        std::printf("skipped: this machine has %d CUDA device(s)\n", count);
        return 77;
    }
    const std::vector<int> xs{1, 2, 3};
    bool ok = says_no_device("parallel_map", [&] { (void)parmap::parallel_map(parmap::thrust, xs, twice{}); });
    ok &= says_no_device("parallel_for", [] { parmap::parallel_for(parmap::thrust, 3, [] PARMAP_HD(std::size_t) {}); });
    ok &= says_no_device("parallel_map_reduce", [&] { (void)parmap::parallel_map_reduce(parmap::thrust, xs, twice{}, 0, std::plus<>{}); });
    // parmap::verify lists parmap::thrust as "skipped: no device", which is not a failure.
    const parmap::verify_report report = parmap::verify(xs, twice{});
    const auto& last = report.configurations().back();
    const bool listed = report.ok() && last.policy == "parmap::thrust" && last.skipped && last.reason == "no device";
    std::printf("%s: parmap::verify lists parmap::thrust as skipped: %s\n", listed ? "ok" : "FAILED", last.reason.c_str());
    ok &= listed;
    return ok ? 0 : 1;
}
