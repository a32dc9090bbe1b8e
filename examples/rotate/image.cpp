// Decoding, rotating and encoding for parmap-rotate; see image.hpp.
#include "image.hpp"

#include "integrity.hpp"
#include "turbojpeg_handle.hpp"

#include <stb/stb_image.h>
#include <stb/stb_image_write.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <type_traits>

// stb_image_write's zlib compressor is compiled in (stb_impl.cpp) but not declared in its header.
extern "C" unsigned char* stbi_zlib_compress(unsigned char* data, int data_len, int* out_len, int quality);

namespace rotate {
namespace {

std::size_t as_size(int v) { return static_cast<std::size_t>(v); }

int checked_length(std::size_t size) {
    if (size > static_cast<std::size_t>(INT_MAX)) throw image_error("file is larger than 2 GiB");
    return static_cast<int>(size);
}

void check_pixel_limit(std::uint64_t width, std::uint64_t height, std::uint64_t max_pixels) {
    if (width * height > max_pixels) {
        throw image_error("declares " + std::to_string(width) + "x" + std::to_string(height) + " pixels, more than --max-pixels " +
                          std::to_string(max_pixels) + ": refused before decoding");
    }
}

image_header jpeg_header(const std::uint8_t* data, std::size_t size) {
    image_header h;
    int colorspace = 0;
    if (tjDecompressHeader3(decompressor().get(), data, static_cast<unsigned long>(size), &h.width, &h.height, &h.jpeg_subsampling,
                            &colorspace) != 0) {
        const std::string reason = decompressor().failure();
        if (reason.find("Could not determine subsampling type") != std::string::npos)
            throw image_error("unsupported JPEG: its chroma subsampling (such as 4:1:0, from cjpeg -sample 4x2) is not one TurboJPEG "
                              "decodes; save it again with 4:2:0, 4:2:2 or 4:4:4");
        throw image_error("not a valid JPEG (" + reason + ")");
    }
    if (colorspace == TJCS_CMYK || colorspace == TJCS_YCCK)
        throw image_error("CMYK JPEG is not supported: convert it to RGB first (for example with ImageMagick's -colorspace sRGB)");
    h.channels = colorspace == TJCS_GRAY ? 1 : 3;
    return h;
}

image decode_jpeg(const std::uint8_t* data, std::size_t size, std::uint64_t max_pixels) {
    image img;
    const image_header h = jpeg_header(data, size);
    check_pixel_limit(h, max_pixels);
    img.jpeg_subsampling = h.jpeg_subsampling;
    img.width = h.width;
    img.height = h.height;
    img.channels = h.channels;
    img.pixels.resize(img.row_bytes() * as_size(img.height));
    const int pixel_format = img.channels == 1 ? TJPF_GRAY : TJPF_RGB;
    // LIMITSCANS refuses progressive files with absurd scan counts (a CPU bomb). libjpeg only warns about a
    // truncated file (the rest is painted gray) or corrupt scan data (decoded as best it can): here every
    // warning is an error, and STOPONWARNING stops at the first one instead of decoding the rest for nothing.
    if (tjDecompress2(decompressor().get(), data, static_cast<unsigned long>(size), img.pixels.data(), img.width, 0, img.height,
                      pixel_format, TJFLAG_LIMITSCANS | TJFLAG_STOPONWARNING) != 0) {
        const std::string reason = decompressor().failure();
        if (reason.find("Premature end") != std::string::npos) throw image_error("truncated JPEG (the file ends early)");
        throw image_error("corrupt JPEG (" + reason + ")");
    }
    return img;
}

// stb_image refuses a PNG whose pixels would pass 1 GiB already in its header reader, with a vague message:
// read the size from IHDR first, so that the refusal says why.
void check_png_size(const std::uint8_t* data, std::size_t size, std::uint64_t max_pixels) {
    if (size < 26 || std::memcmp(data + 12, "IHDR", 4) != 0) return;  // stb reports the damage
    const std::uint64_t width = big_endian_u32(data + 16), height = big_endian_u32(data + 20);
    check_pixel_limit(width, height, max_pixels);
    static const std::uint64_t channels_by_type[] = {1, 0, 3, 3, 2, 0, 4};
    const std::uint64_t channels = data[25] < 7 ? channels_by_type[data[25]] : 0, bytes = data[24] == 16 ? 2 : 1;
    if (width * height * channels * bytes > (std::uint64_t{1} << 30))
        throw image_error("too large for the PNG decoder (stb_image reads at most 1 GiB of pixels)");
}

image decode_with_stb(const std::uint8_t* data, std::size_t size, file_format format, std::uint64_t max_pixels) {
    if (format == file_format::png) check_png_size(data, size, max_pixels);
    check_integrity(data, size, format);  // stb would read missing bytes as zeros, and it ignores PNG CRCs
    const image_header h = read_header(data, size, format);
    check_pixel_limit(h, max_pixels);
    const int length = checked_length(size);
    image img;
    int channels = 0;
    void* pixels = h.bits == 16 ? static_cast<void*>(stbi_load_16_from_memory(data, length, &img.width, &img.height, &channels, 0))
                                : static_cast<void*>(stbi_load_from_memory(data, length, &img.width, &img.height, &channels, 0));
    if (pixels == nullptr) throw image_error(std::string("corrupt ") + format_name(format) + " (" + stbi_failure_reason() + ")");
    std::unique_ptr<void, void (*)(void*)> owner(pixels, stbi_image_free);
    // The header was checked, not the decoded image: a file whose parts disagree is corrupt.
    if (img.width != h.width || img.height != h.height)
        throw image_error(std::string("corrupt ") + format_name(format) + " (its header and its image data disagree on the size)");
    img.channels = channels;
    img.bits = h.bits;
    const auto* bytes = static_cast<const std::uint8_t*>(pixels);
    img.pixels.assign(bytes, bytes + img.row_bytes() * as_size(img.height));
    return img;
}

template <std::size_t P>
struct pixel {
    std::uint8_t b[P];
};

// Calls f(std::integral_constant<std::size_t, P>{}) for the image's pixel size P, so loops copy whole pixels.
template <class F>
void with_pixel_size(const image& img, F f) {
    switch (img.pixel_bytes()) {
    case 1: return f(std::integral_constant<std::size_t, 1>{});
    case 2: return f(std::integral_constant<std::size_t, 2>{});
    case 3: return f(std::integral_constant<std::size_t, 3>{});
    case 4: return f(std::integral_constant<std::size_t, 4>{});
    case 6: return f(std::integral_constant<std::size_t, 6>{});
    case 8: return f(std::integral_constant<std::size_t, 8>{});
    default: throw image_error("unsupported pixel layout");
    }
}

// A quarter turn copies into a new image, in tiles so that both stay in cache.
// 90 clockwise: out(x, y) = in(y, h-1-x); 270: out(x, y) = in(w-1-y, x).
template <std::size_t P>
void turn_pixels(const image& in, image& out, int degrees) {
    const auto* src = reinterpret_cast<const pixel<P>*>(in.pixels.data());
    auto* dst = reinterpret_cast<pixel<P>*>(out.pixels.data());
    const std::size_t w = as_size(in.width), h = as_size(in.height), ow = as_size(out.width), oh = as_size(out.height);
    constexpr std::size_t tile = 32;
    for (std::size_t ty = 0; ty < oh; ty += tile)
        for (std::size_t tx = 0; tx < ow; tx += tile)
            for (std::size_t y = ty; y < std::min(oh, ty + tile); ++y)
                for (std::size_t x = tx; x < std::min(ow, tx + tile); ++x)
                    dst[y * ow + x] = degrees == 90 ? src[(h - 1 - x) * w + y] : src[x * w + (w - 1 - y)];
}

using write_buffer = std::vector<std::uint8_t>;

void append_to_buffer(void* context, void* data, int size) {
    auto* out = static_cast<write_buffer*>(context);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    out->insert(out->end(), bytes, bytes + size);
}

void check_stb_size(const image& img) {
    if (img.row_bytes() * as_size(img.height) > static_cast<std::size_t>(INT_MAX) / 2)
        throw image_error("image too large for the PNG/BMP/TGA writer");
}

// stb_image_write writes 8-bit PNG only; 16-bit ones go through png_from_scanlines.
std::vector<std::uint8_t> encode_png16(const image& img) {
    write_buffer big_endian(img.pixels.size());
    const auto* samples = reinterpret_cast<const std::uint16_t*>(img.pixels.data());
    for (std::size_t i = 0; i < img.pixels.size() / 2; ++i) {
        big_endian[2 * i] = static_cast<std::uint8_t>(samples[i] >> 8);
        big_endian[2 * i + 1] = static_cast<std::uint8_t>(samples[i] & 0xffu);
    }
    static const int color_type[] = {0, 0, 4, 2, 6};  // by channel count: gray, gray+alpha, RGB, RGBA
    return png_from_scanlines(img.width, img.height, 16, color_type[img.channels], big_endian, img.row_bytes());
}

} // namespace

const char* format_name(file_format format) {
    switch (format) {
    case file_format::jpeg: return "JPEG";
    case file_format::png: return "PNG";
    case file_format::bmp: return "BMP";
    case file_format::gif: return "GIF";
    case file_format::tga: return "TGA";
    default: return "unknown format";
    }
}

file_format sniff_format(const std::uint8_t* data, std::size_t size, bool name_says_tga) {
    auto starts = [&](std::initializer_list<std::uint8_t> magic) {
        return size >= magic.size() && std::equal(magic.begin(), magic.end(), data);
    };
    if (starts({0xff, 0xd8, 0xff})) return file_format::jpeg;
    if (starts({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) return file_format::png;
    if (starts({'G', 'I', 'F', '8'})) return file_format::gif;
    if (starts({'B', 'M'})) return file_format::bmp;
    if (name_says_tga && size >= 18) return file_format::tga;
    return file_format::unknown;
}

void check_pixel_limit(const image_header& h, std::uint64_t max_pixels) {
    // Zero-sized images decode to nothing and encoders cannot write them (found by scripts/fuzz:
    // tests/fuzz/regressions/crash-8b60ac65..., a BMP of 463104 x 0 pixels).
    if (h.width <= 0 || h.height <= 0)
        throw image_error("declares an empty image (" + std::to_string(h.width) + "x" + std::to_string(h.height) + " pixels)");
    check_pixel_limit(static_cast<std::uint64_t>(h.width), static_cast<std::uint64_t>(h.height), max_pixels);
}

void require_known(file_format format) {
    if (format == file_format::unknown) throw image_error("not an image this tool reads (JPEG, PNG, BMP, GIF, TGA)");
}

image_header read_header(const std::uint8_t* data, std::size_t size, file_format format) {
    if (format == file_format::jpeg) return jpeg_header(data, size);
    require_known(format);
    const int length = checked_length(size);
    image_header h;
    if (stbi_info_from_memory(data, length, &h.width, &h.height, &h.channels) == 0)
        throw image_error(std::string("not a valid ") + format_name(format) + " (" + stbi_failure_reason() + ")");
    // A BMP stored top-down declares a negative height; stb's info reports it as it is, its decoder turns it
    // the right way up.
    if (format == file_format::bmp && h.height < 0 && h.height != INT_MIN) h.height = -h.height;
    h.bits = stbi_is_16_bit_from_memory(data, length) != 0 ? 16 : 8;
    return h;
}

image decode(const std::uint8_t* data, std::size_t size, file_format format, std::uint64_t max_pixels) {
    if (format == file_format::jpeg) return decode_jpeg(data, size, max_pixels);
    return decode_with_stb(data, size, format, max_pixels);
}

image rotated(image in, int degrees) {
    if (degrees == 0) return in;
    if (degrees == 180) {  // in place: the pixels in reverse order
        with_pixel_size(in, [&](auto size) {
            auto* first = reinterpret_cast<pixel<decltype(size)::value>*>(in.pixels.data());
            std::reverse(first, first + as_size(in.width) * as_size(in.height));
        });
        return in;
    }
    image out;
    out.channels = in.channels;
    out.bits = in.bits;
    out.width = in.height;
    out.height = in.width;
    // Chroma halved horizontally becomes halved vertically after a quarter turn, and the other way round.
    out.jpeg_subsampling = in.jpeg_subsampling == TJSAMP_422 ? TJSAMP_440 : in.jpeg_subsampling == TJSAMP_440 ? TJSAMP_422
                                                                                                            : in.jpeg_subsampling;
    out.pixels.resize(in.pixels.size());
    with_pixel_size(in, [&](auto size) { turn_pixels<decltype(size)::value>(in, out, degrees); });
    return out;
}

image flattened_to_8bit_opaque(const image& in) {
    const bool alpha = in.channels == 2 || in.channels == 4;
    if (in.bits == 8 && !alpha) return in;
    image out;
    out.width = in.width;
    out.height = in.height;
    out.channels = alpha ? in.channels - 1 : in.channels;
    out.jpeg_subsampling = in.jpeg_subsampling;
    out.pixels.resize(out.row_bytes() * as_size(out.height));
    const std::size_t n = as_size(in.width) * as_size(in.height), cin = as_size(in.channels), cout = as_size(out.channels);
    const auto* wide = reinterpret_cast<const std::uint16_t*>(in.pixels.data());
    auto sample = [&](std::size_t i) -> unsigned {
        return in.bits == 16 ? (wide[i] * 255u + 32767u) / 65535u : in.pixels[i];
    };
    for (std::size_t p = 0; p < n; ++p) {
        const unsigned a = alpha ? sample(p * cin + cout) : 255u;
        for (std::size_t c = 0; c < cout; ++c)  // over white: c * a + 255 * (1 - a), rounded
            out.pixels[p * cout + c] = static_cast<std::uint8_t>((sample(p * cin + c) * a + 255u * (255u - a) + 127u) / 255u);
    }
    return out;
}

std::vector<std::uint8_t> encode_jpeg(const image& img, int quality) {
    if (img.bits != 8 || (img.channels != 1 && img.channels != 3)) throw image_error("internal: JPEG needs 8-bit gray or RGB");
    int subsampling = img.channels == 1 ? TJSAMP_GRAY : quality >= 90 ? TJSAMP_444 : TJSAMP_420;
    if (img.channels == 3 && img.jpeg_subsampling >= 0 && img.jpeg_subsampling != TJSAMP_GRAY) subsampling = img.jpeg_subsampling;
    // TurboJPEG sizes its own buffer: cheaper than zero-filling tjBufSize()'s worst case in a vector.
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    if (tjCompress2(compressor().get(), img.pixels.data(), img.width, 0, img.height, img.channels == 1 ? TJPF_GRAY : TJPF_RGB, &buffer,
                    &size, subsampling, quality, 0) != 0) {
        tjFree(buffer);
        throw image_error("JPEG encoding failed (" + compressor().failure() + ")");
    }
    std::vector<std::uint8_t> out(buffer, buffer + size);
    tjFree(buffer);
    return out;
}

std::vector<std::uint8_t> png_from_scanlines(int width, int height, int bit_depth, int color_type,
                                             const std::vector<std::uint8_t>& scanlines, std::size_t row_bytes,
                                             const std::vector<std::uint8_t>& palette) {
    write_buffer raw;
    raw.reserve(scanlines.size() + scanlines.size() / std::max<std::size_t>(row_bytes, 1) + 1);
    for (std::size_t at = 0; at < scanlines.size(); at += row_bytes) {
        raw.push_back(0);  // filter: none
        raw.insert(raw.end(), scanlines.begin() + static_cast<std::ptrdiff_t>(at),
                   scanlines.begin() + static_cast<std::ptrdiff_t>(std::min(scanlines.size(), at + row_bytes)));
    }
    int zlib_size = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> zlib(stbi_zlib_compress(raw.data(), checked_length(raw.size()), &zlib_size, 8), std::free);
    if (!zlib) throw image_error("out of memory while compressing the PNG");
    write_buffer out{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    write_buffer header;
    put_u32(header, static_cast<std::uint32_t>(width));
    put_u32(header, static_cast<std::uint32_t>(height));
    header.insert(header.end(), {static_cast<std::uint8_t>(bit_depth), static_cast<std::uint8_t>(color_type), 0, 0, 0});
    put_png_chunk(out, "IHDR", header.data(), header.size());
    if (!palette.empty()) put_png_chunk(out, "PLTE", palette.data(), palette.size());
    put_png_chunk(out, "IDAT", zlib.get(), static_cast<std::size_t>(zlib_size));
    put_png_chunk(out, "IEND", nullptr, 0);
    return out;
}

std::vector<std::uint8_t> encode_png(const image& img) {
    check_stb_size(img);
    if (img.bits == 16) return encode_png16(img);
    write_buffer out;
    if (stbi_write_png_to_func(append_to_buffer, &out, img.width, img.height, img.channels, img.pixels.data(),
                               static_cast<int>(img.row_bytes())) == 0)
        throw image_error("PNG encoding failed");
    return out;
}

namespace {
using stb_writer = int (*)(stbi_write_func*, void*, int, int, int, const void*);

std::vector<std::uint8_t> encode_8bit_with(stb_writer write, const char* format, const image& img) {
    const image flat = img.bits == 16 ? flattened_to_8bit_opaque(img) : img;
    check_stb_size(flat);
    write_buffer out;
    if (write(append_to_buffer, &out, flat.width, flat.height, flat.channels, flat.pixels.data()) == 0)
        throw image_error(std::string(format) + " encoding failed");
    return out;
}
} // namespace

std::vector<std::uint8_t> encode_bmp(const image& img) { return encode_8bit_with(stbi_write_bmp_to_func, "BMP", img); }
std::vector<std::uint8_t> encode_tga(const image& img) { return encode_8bit_with(stbi_write_tga_to_func, "TGA", img); }

} // namespace rotate
