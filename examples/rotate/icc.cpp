// ICC profiles in JPEG and PNG; see icc.hpp.
#include "icc.hpp"

#include "integrity.hpp"

#include <stb/stb_image.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

// stb_image_write's zlib compressor is compiled in (stb_impl.cpp) but not declared in its header.
extern "C" unsigned char* stbi_zlib_compress(unsigned char* data, int data_len, int* out_len, int quality);

namespace rotate {
namespace {

constexpr char icc_marker[] = "ICC_PROFILE";      // then a NUL, the segment's number (from 1) and the count
constexpr std::size_t icc_header = sizeof icc_marker + 2;
constexpr std::size_t largest_profile = 16u << 20;

// Markers from SOI up to the first scan: APP2 ICC segments, by their number.
std::vector<std::uint8_t> jpeg_profile(const std::uint8_t* data, std::size_t size) {
    std::vector<std::vector<std::uint8_t>> parts;
    std::size_t count = 0;
    for (std::size_t at = 2; at + 4 <= size && data[at] == 0xff;) {
        const unsigned marker = data[at + 1];
        if (marker == 0xda || marker == 0xd9) break;  // start of scan, end of image
        const std::size_t length = std::size_t{data[at + 2]} << 8 | data[at + 3];
        if (length < 2 || at + 2 + length > size) return {};
        const std::uint8_t* body = data + at + 4;
        const std::size_t body_size = length - 2;
        if (marker == 0xe2 && body_size > icc_header && std::memcmp(body, icc_marker, sizeof icc_marker) == 0) {
            const std::size_t number = body[sizeof icc_marker], total = body[sizeof icc_marker + 1];
            if (number == 0 || number > total || (count != 0 && total != count)) return {};
            count = total;
            parts.resize(total);
            if (!parts[number - 1].empty()) return {};
            parts[number - 1].assign(body + icc_header, body + body_size);
        }
        at += 2 + length;
    }
    std::vector<std::uint8_t> profile;
    for (const auto& part : parts) {
        if (part.empty()) return {};
        profile.insert(profile.end(), part.begin(), part.end());
    }
    return profile;
}

// The iCCP chunk: a name of 1 to 79 bytes, NUL, compression method 0, zlib data.
std::vector<std::uint8_t> png_profile(const std::uint8_t* data, std::size_t size) {
    for (std::size_t at = 8; at + 12 <= size;) {
        const std::size_t length = big_endian_u32(data + at);
        if (length > size - at - 12) return {};
        const std::uint8_t* body = data + at + 8;
        if (std::memcmp(data + at + 4, "IDAT", 4) == 0) return {};  // iCCP comes before the image data
        if (std::memcmp(data + at + 4, "iCCP", 4) == 0) {
            const auto* name_end = static_cast<const std::uint8_t*>(std::memchr(body, 0, std::min<std::size_t>(length, 80)));
            if (name_end == nullptr || name_end + 2 > body + length || name_end[1] != 0) return {};
            const std::size_t zlib_size = static_cast<std::size_t>(body + length - (name_end + 2));
            std::unique_ptr<char[]> out(new char[largest_profile]);
            const int n = stbi_zlib_decode_buffer(out.get(), static_cast<int>(largest_profile), reinterpret_cast<const char*>(name_end + 2),
                                                  static_cast<int>(zlib_size));
            if (n <= 0) return {};
            return std::vector<std::uint8_t>(out.get(), out.get() + n);
        }
        at += 12 + length;
    }
    return {};
}

} // namespace

std::vector<std::uint8_t> icc_profile(const std::uint8_t* data, std::size_t size, file_format format) {
    std::vector<std::uint8_t> profile;
    if (format == file_format::jpeg) profile = jpeg_profile(data, size);
    if (format == file_format::png) profile = png_profile(data, size);
    // An ICC header is 128 bytes and starts with the profile's own size.
    if (profile.size() < 128 || big_endian_u32(profile.data()) != profile.size() || profile.size() > largest_profile) return {};
    return profile;
}

int icc_channels(const std::vector<std::uint8_t>& profile) {
    if (profile.size() < 128) return 0;
    const std::string space(reinterpret_cast<const char*>(profile.data() + 16), 4);
    return space == "GRAY" ? 1 : space == "RGB " ? 3 : 0;
}

std::vector<std::uint8_t> jpeg_with_icc(const std::vector<std::uint8_t>& jpeg, const std::vector<std::uint8_t>& profile) {
    if (profile.empty() || jpeg.size() < 4) return jpeg;
    std::size_t insert_at = 2;  // after SOI, or after a JFIF APP0, which must come first
    if (jpeg[2] == 0xff && jpeg[3] == 0xe0 && jpeg.size() >= 6) insert_at = 4 + (std::size_t{jpeg[4]} << 8 | jpeg[5]);
    if (insert_at > jpeg.size()) return jpeg;
    constexpr std::size_t per_segment = 65535 - 2 - icc_header;
    const std::size_t segments = (profile.size() + per_segment - 1) / per_segment;
    if (segments > 255) return jpeg;
    std::vector<std::uint8_t> out(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(insert_at));
    for (std::size_t k = 0; k < segments; ++k) {
        const std::size_t first = k * per_segment, n = std::min(per_segment, profile.size() - first), length = 2 + icc_header + n;
        out.insert(out.end(), {0xff, 0xe2, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xff)});
        out.insert(out.end(), icc_marker, icc_marker + sizeof icc_marker);  // with its NUL
        out.push_back(static_cast<std::uint8_t>(k + 1));
        out.push_back(static_cast<std::uint8_t>(segments));
        out.insert(out.end(), profile.begin() + static_cast<std::ptrdiff_t>(first), profile.begin() + static_cast<std::ptrdiff_t>(first + n));
    }
    out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(insert_at), jpeg.end());
    return out;
}

std::vector<std::uint8_t> png_with_icc(const std::vector<std::uint8_t>& png, const std::vector<std::uint8_t>& profile) {
    constexpr std::size_t after_ihdr = 8 + 12 + 13;  // signature, then IHDR's length, type, 13 bytes, CRC
    if (profile.empty() || png.size() < after_ihdr || profile.size() > INT_MAX) return png;
    int zlib_size = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> zlib(
        stbi_zlib_compress(const_cast<unsigned char*>(profile.data()), static_cast<int>(profile.size()), &zlib_size, 8), std::free);
    if (!zlib) return png;
    static const std::string name = "ICC Profile";
    std::vector<std::uint8_t> body(name.begin(), name.end());
    body.insert(body.end(), {0, 0});  // the name's NUL, compression method 0 (zlib)
    body.insert(body.end(), zlib.get(), zlib.get() + zlib_size);
    std::vector<std::uint8_t> out(png.begin(), png.begin() + after_ihdr);
    put_png_chunk(out, "iCCP", body.data(), body.size());
    out.insert(out.end(), png.begin() + after_ihdr, png.end());
    return out;
}

} // namespace rotate
