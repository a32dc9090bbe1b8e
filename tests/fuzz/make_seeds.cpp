// Writes the fuzzer's seed corpus: small valid images of every input kind parmap-rotate reads, and
// broken ones (truncated, corrupted, lying headers, empty), made with parmap-rotate's own encoders.
//   parmap-fuzz-seeds DIR
#include "image.hpp"

#include <turbojpeg.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using bytes = std::vector<std::uint8_t>;

void write(const std::filesystem::path& dir, const std::string& name, const bytes& data) {
    std::ofstream(dir / name, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

/// A width x height gradient with `channels` channels of `bits` bits: asymmetric, so rotations differ.
rotate::image gradient(int width, int height, int channels, int bits) {
    rotate::image img{width, height, channels, bits, -1, {}};
    img.pixels.resize(static_cast<std::size_t>(width * height) * img.pixel_bytes());
    for (std::size_t i = 0; i < img.pixels.size(); ++i) img.pixels[i] = static_cast<std::uint8_t>(i * 7 + i / 13);
    return img;
}

bytes progressive_jpeg(const rotate::image& rgb) {
    tjhandle handle = tjInitCompress();
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    tjCompress2(handle, rgb.pixels.data(), rgb.width, 0, rgb.height, TJPF_RGB, &buffer, &size, TJSAMP_420, 80, TJFLAG_PROGRESSIVE);
    bytes out(buffer, buffer + size);
    tjFree(buffer);
    tjDestroy(handle);
    return out;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: parmap-fuzz-seeds DIR\n");
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);

    const rotate::image rgb = gradient(17, 11, 3, 8);
    const bytes jpeg = rotate::encode_jpeg(rgb, 75);
    write(dir, "rgb.jpg", jpeg);
    write(dir, "gray.jpg", rotate::encode_jpeg(gradient(9, 14, 1, 8), 90));
    write(dir, "progressive.jpg", progressive_jpeg(rgb));
    write(dir, "rgb.png", rotate::encode_png(rgb));
    write(dir, "rgba16.png", rotate::encode_png(gradient(5, 7, 4, 16)));
    write(dir, "gray_alpha.png", rotate::encode_png(gradient(6, 3, 2, 8)));
    write(dir, "rgb.bmp", rotate::encode_bmp(rgb));
    write(dir, "rgba.tga", rotate::encode_tga(gradient(4, 4, 4, 8)));  // odd size: the target tries it as TGA
    // A 4x2 palette PNG (colour type 3, 2 bits per index) and one that says 100000 x 100000.
    write(dir, "palette.png", rotate::png_from_scanlines(4, 2, 2, 3, {0x1b, 0xe4}, 1, {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9}));
    write(dir, "huge_header.png", rotate::png_from_scanlines(100000, 100000, 8, 0, bytes(64, 0), 8));
    // The classic 1x1 GIF89a.
    write(dir, "one.gif", {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0, '!', 0xf9, 4, 1, 0, 0,
                           0, 0, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 'D', 1, 0, ';'});
    // Broken: truncated, corrupted in the middle, empty, and text that is not an image.
    write(dir, "truncated.jpg", bytes(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(jpeg.size() / 2)));
    bytes corrupted = jpeg;
    for (std::size_t i = corrupted.size() / 3; i < corrupted.size() / 3 + 16; ++i) corrupted[i] ^= 0x5a;
    write(dir, "corrupted.jpg", corrupted);
    write(dir, "empty.png", {});
    write(dir, "text.png", {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e', '\n'});
    std::printf("parmap-fuzz-seeds: wrote the seed corpus in %s\n", dir.string().c_str());
    return 0;
}
