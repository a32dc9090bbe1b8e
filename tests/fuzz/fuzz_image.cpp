// The fuzz target: parmap-rotate's whole path for one file's bytes: recognise the format, read the
// header and the ICC profile, decode under a pixel limit, rotate, flatten and encode as JPEG and PNG.
// Any input may be refused with rotate::image_error; nothing may crash, leak, hang or read out of bounds.
//   libFuzzer (clang -fsanitize=fuzzer,address,undefined): scripts/fuzz
//   replay (every build, ctest): parmap-fuzz-replay FILE_OR_DIR...
#include "icc.hpp"
#include "image.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // The low bit of the size decides whether the file "is named .tga", so TGA's signature-less path is
    // reached too. A limit of 4096 pixels keeps one input's work small, so the fuzzer tries many more
    // inputs; the refusal path itself is the same for any limit (the tool's default is 200 million).
    constexpr std::uint64_t max_pixels = std::uint64_t{1} << 12;
    try {
        const rotate::file_format format = rotate::sniff_format(data, size, size % 2 == 1);
        if (format == rotate::file_format::unknown) return 0;
        rotate::read_header(data, size, format);
        rotate::icc_profile(data, size, format);
        rotate::image img = rotate::decode(data, size, format, max_pixels);
        const int degrees = static_cast<int>(size % 4) * 90;
        rotate::image turned = rotate::rotated(std::move(img), degrees);
        rotate::encode_png(turned);
        rotate::encode_jpeg(rotate::flattened_to_8bit_opaque(turned), 75);
    } catch (const rotate::image_error&) {
        // Refused with a message: what bad input must get.
    }
    return 0;
}
