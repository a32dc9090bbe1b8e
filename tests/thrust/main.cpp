// Catch2's main for the CUDA build of the thrust tests: it first asks for a device; with none it says so
// and exits 77, which ctest reports as skipped (SKIP_RETURN_CODE). The C++ build uses the suite's main.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <parmap/thrust.hpp>

#include <cstdio>

int main(int argc, char** argv) {
#if PARMAP_THRUST_CUDA
    try {
        parmap::detail::require_device();
    } catch (const parmap::device_error& e) {
        std::printf("skipped: %s\n", e.what());
        return 77;
    }
#endif
    return Catch::Session().run(argc, argv);
}
