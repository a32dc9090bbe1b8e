// Structure checks for the formats stb_image decodes; see integrity.hpp.
#include "integrity.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace rotate {
namespace {

std::uint32_t little_endian_u32(const std::uint8_t* p) {
    return std::uint32_t{p[3]} << 24 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[1]} << 8 | std::uint32_t{p[0]};
}
std::uint32_t little_endian_u16(const std::uint8_t* p) { return std::uint32_t{p[1]} << 8 | std::uint32_t{p[0]}; }

[[noreturn]] void truncated(const char* format, const std::string& what, std::uint64_t needed, std::size_t size) {
    throw image_error(std::string("truncated ") + format + " (" + what + ": " + std::to_string(needed) + " bytes needed, the file has " +
                      std::to_string(size) + ")");
}

// Signature, then chunks (length, type, data, CRC) up to IEND. A length past the end of the file is refused
// before stb sees it: stb grows its buffer to a chunk's declared length before reading it, so a 200-byte
// file declaring a 2 GiB chunk would cost 2 GiB of memory (scripts/fuzz: tests/fuzz/regressions/oom-7bd4f414...).
void check_png(const std::uint8_t* data, std::size_t size) {
    for (std::size_t at = 8;;) {
        if (at >= size) throw image_error("truncated PNG (it ends before its IEND chunk)");
        if (size - at < 12) throw image_error("truncated PNG (it ends inside the chunk at byte " + std::to_string(at) + ")");
        const std::uint64_t length = big_endian_u32(data + at);
        if (length > size - at - 12) {
            throw image_error("truncated or corrupt PNG (a chunk declares " + std::to_string(length) + " bytes; the file has " +
                              std::to_string(size - at - 12) + " left)");
        }
        const std::size_t end = at + 8 + static_cast<std::size_t>(length);
        if (crc32(data + at + 4, static_cast<std::size_t>(length) + 4) != big_endian_u32(data + end)) {
            std::string type(reinterpret_cast<const char*>(data + at + 4), 4);
            for (char c : type)
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) type = "unnamed";
            throw image_error("corrupt PNG (its " + type + " chunk at byte " + std::to_string(at) + " fails its CRC check)");
        }
        if (std::string(reinterpret_cast<const char*>(data + at + 4), 4) == "IEND") return;
        at = end + 4;
    }
}

// Uncompressed BMP (BI_RGB, BI_BITFIELDS, BI_ALPHABITFIELDS): rows padded to 4 bytes, from the offset the
// file header gives. Run-length BMP is refused as unsupported (stb cannot decode it), others left to stb.
void check_bmp(const std::uint8_t* data, std::size_t size) {
    if (size < 26) return;
    const std::uint64_t offset = little_endian_u32(data + 10), header = little_endian_u32(data + 14);
    std::int64_t width = 0, height = 0;
    std::uint64_t bits = 0, compression = 0;
    if (header == 12) {  // OS/2 BITMAPCOREHEADER: 16-bit sizes
        width = little_endian_u16(data + 18);
        height = little_endian_u16(data + 20);
        bits = little_endian_u16(data + 24);
    } else {
        if (size < 34) return;
        width = static_cast<std::int32_t>(little_endian_u32(data + 18));
        height = static_cast<std::int32_t>(little_endian_u32(data + 22));  // negative: stored top-down
        bits = little_endian_u16(data + 28);
        compression = little_endian_u32(data + 30);
    }
    if (compression == 1 || compression == 2)
        throw image_error("unsupported BMP: run-length compressed (RLE" + std::string(compression == 1 ? "8" : "4") +
                          "), which stb_image does not decode; save it again uncompressed");
    if (compression != 0 && compression != 3 && compression != 6) return;
    if (width <= 0 || height == 0 || bits == 0 || bits > 32) return;
    const std::uint64_t row = (static_cast<std::uint64_t>(width) * bits + 31) / 32 * 4;
    const std::uint64_t rows = static_cast<std::uint64_t>(height < 0 ? -height : height);
    const std::uint64_t needed = offset + row * rows;
    if (needed > size)
        truncated("BMP", "its " + std::to_string(width) + "x" + std::to_string(rows) + " pixels from byte " + std::to_string(offset), needed, size);
}

// Uncompressed TGA (types 1, 2, 3): ID, colour map, then every pixel; run-length TGA (9, 10, 11): packets
// (a count byte, then one pixel repeated or that many literal pixels) until every pixel is covered.
void check_tga(const std::uint8_t* data, std::size_t size) {
    if (size < 18) return;
    const unsigned type = data[2], map_type = data[1];
    const std::uint64_t map_entries = little_endian_u16(data + 5), map_bits = data[7];
    const std::uint64_t pixels = std::uint64_t{little_endian_u16(data + 12)} * little_endian_u16(data + 14);
    const std::uint64_t pixel_bytes = (std::uint64_t{data[16]} + 7) / 8;
    if (pixel_bytes == 0 || pixels == 0) return;
    std::uint64_t at = 18 + std::uint64_t{data[0]} + (map_type == 1 ? map_entries * ((map_bits + 7) / 8) : 0);
    if (type == 1 || type == 2 || type == 3) {
        const std::uint64_t needed = at + pixels * pixel_bytes;
        if (needed > size) truncated("TGA", "its " + std::to_string(pixels) + " pixels", needed, size);
        return;
    }
    if (type != 9 && type != 10 && type != 11) return;
    for (std::uint64_t covered = 0; covered < pixels;) {
        if (at >= size) truncated("TGA", "its run-length data for " + std::to_string(pixels) + " pixels", at + 1, size);
        const unsigned packet = data[at];
        const std::uint64_t count = (packet & 0x7fu) + 1u;
        at += 1 + ((packet & 0x80u) != 0 ? pixel_bytes : count * pixel_bytes);
        covered += count;
    }
    if (at > size) truncated("TGA", "its run-length data for " + std::to_string(pixels) + " pixels", at, size);
}

// Header, logical screen and global colour table, then extensions (skipped) up to the first image: its
// descriptor, local colour table, and data sub-blocks up to their terminator. Only the first image is read.
void check_gif(const std::uint8_t* data, std::size_t size) {
    if (size < 13) return;
    std::uint64_t at = 13 + ((data[10] & 0x80u) != 0 ? 3u << ((data[10] & 7u) + 1u) : 0u);
    auto skip_sub_blocks = [&] {
        for (;;) {
            if (at >= size) truncated("GIF", "its first image", at + 1, size);
            const unsigned length = data[at];
            at += 1 + length;
            if (length == 0) return;
        }
    };
    for (;;) {
        if (at >= size) truncated("GIF", "its first image", at + 1, size);
        const unsigned block = data[at];
        if (block == 0x21) {  // extension: introducer, label, sub-blocks
            at += 2;
            skip_sub_blocks();
        } else if (block == 0x2c) {  // image descriptor (10 bytes), local colour table, LZW code size, sub-blocks
            if (at + 10 > size) truncated("GIF", "its first image", at + 10, size);
            const unsigned flags = data[at + 9];
            at += 10 + ((flags & 0x80u) != 0 ? 3u << ((flags & 7u) + 1u) : 0u) + 1;
            skip_sub_blocks();
            return;
        } else {
            return;  // the trailer before any image, or garbage: stb reports it
        }
    }
}

} // namespace

std::uint32_t crc32(const std::uint8_t* data, std::size_t size, std::uint32_t crc) {
    static const auto table = [] {
        std::vector<std::uint32_t> t(256);
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xffu] ^ (crc >> 8);
    return ~crc;
}

void put_png_chunk(std::vector<std::uint8_t>& out, const char* type, const std::uint8_t* data, std::size_t size) {
    put_u32(out, static_cast<std::uint32_t>(size));
    const std::size_t start = out.size();
    out.insert(out.end(), type, type + 4);
    if (size != 0) out.insert(out.end(), data, data + size);
    put_u32(out, crc32(out.data() + start, size + 4));
}

void check_integrity(const std::uint8_t* data, std::size_t size, file_format format) {
    switch (format) {
    case file_format::png: return check_png(data, size);
    case file_format::bmp: return check_bmp(data, size);
    case file_format::tga: return check_tga(data, size);
    case file_format::gif: return check_gif(data, size);
    default: return;
    }
}

} // namespace rotate
