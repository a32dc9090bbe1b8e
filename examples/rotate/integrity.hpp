// Damage that stb_image would decode silently: it reads past the end of a file as zero bytes (half a BMP
// comes out with a black bottom half) and checks no PNG CRC. parmap-rotate checks the file's structure
// before stb decodes it, so that a truncated or damaged file fails with its reason instead of being written.
// Also the PNG byte helpers (CRC, chunks) that the checks share with the PNG writers.
#pragma once

#include "image.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rotate {

/// @brief Throws image_error ("truncated PNG (...)", "corrupt PNG (...)", ...) when the file holds less than
/// its headers declare or, for PNG, when any chunk fails its CRC or the IEND chunk is missing. BMP and TGA
/// must hold every pixel their header declares (RLE TGA: every packet), GIF its first image's data blocks.
/// A run-length BMP is refused as unsupported (stb cannot decode it, and would call it invalid). Headers it
/// cannot make sense of are left to the decoder, which reports them. JPEG is not checked here:
/// TurboJPEG reports its own damage (decode_jpeg).
void check_integrity(const std::uint8_t* data, std::size_t size, file_format format);

/// @brief The CRC-32 of PNG and zlib (ISO 3309), continuing from `crc` (0 to start).
std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc = 0);

/// @brief The big-endian 32-bit number at `p` (PNG's lengths and CRCs, ICC's sizes).
inline std::uint32_t big_endian_u32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

/// @brief Appends `v` big-endian.
inline void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

/// @brief Appends a PNG chunk: length, `type` (4 letters), `size` bytes of data, CRC.
void put_png_chunk(std::vector<std::uint8_t>& out, const char* type, const std::uint8_t* data, std::size_t size);

} // namespace rotate
