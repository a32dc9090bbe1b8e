// Runs the fuzz target over files without libFuzzer, so that every input that ever crashed it (kept in
// tests/fuzz/regressions/) and the generated seed corpus are checked in every build:
//   parmap-fuzz-replay FILE_OR_DIR...
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::printf("%s (%zu bytes)\n", file.string().c_str(), bytes.size());
    std::fflush(stdout);  // a crash then names its input
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

} // namespace

int main(int argc, char** argv) {
    std::size_t count = 0;
    for (int k = 1; k < argc; ++k) {
        const std::filesystem::path path = argv[k];
        if (std::filesystem::is_directory(path)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(path)) {
                if (entry.is_regular_file()) replay(entry.path()), ++count;
            }
        } else if (std::filesystem::is_regular_file(path)) {
            replay(path), ++count;
        } else {
            std::fprintf(stderr, "parmap-fuzz-replay: %s: no such file or directory\n", path.string().c_str());
            return 2;
        }
    }
    std::printf("parmap-fuzz-replay: %zu inputs, no crash\n", count);
    return 0;
}
