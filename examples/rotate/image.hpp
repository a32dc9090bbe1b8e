// parmap-rotate's images: decode (TurboJPEG for JPEG, stb_image for PNG, BMP, TGA, GIF), rotate by a
// multiple of 90 degrees, encode (TurboJPEG for JPEG, stb_image_write for 8-bit PNG/BMP/TGA, a small
// writer for 16-bit PNG). Every failure is an image_error whose message names the reason for a user.
#pragma once

#include "files.hpp"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace rotate {

/// @brief A failure to read or write one image, with a message meant for the user ("truncated JPEG"): the
/// examples' file error, so that reading and writing files (files.hpp) fail the same way.
using image_error = parmap_examples::file_error;

/// @brief What a file's first bytes say it is; `unknown` for anything else.
enum class file_format { jpeg, png, bmp, gif, tga, unknown };

/// @brief The format's usual name ("JPEG", "PNG", ...).
const char* format_name(file_format format);

/// @brief Recognises the format from the content, never from the file name (a text file named x.png is
/// `unknown`). TGA has no signature: it is tried only when `name_says_tga` (the file name ends in .tga).
file_format sniff_format(const std::uint8_t* data, std::size_t size, bool name_says_tga);

/// @brief The bytes sniff_format needs at most: enough for a TGA header.
inline constexpr std::size_t signature_bytes = 18;

/// @brief Throws image_error "not an image this tool reads (...)" for file_format::unknown.
void require_known(file_format format);

/// @brief Decoded pixels, rows top to bottom, channels interleaved: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
/// 16-bit samples are stored as native std::uint16_t in `pixels`.
struct image {
    int width = 0;
    int height = 0;
    int channels = 0;
    int bits = 8;                      ///< 8 or 16 bits per sample
    int jpeg_subsampling = -1;         ///< a JPEG input's TurboJPEG subsampling (TJSAMP_*), else -1
    std::vector<std::uint8_t> pixels;  ///< width * height * channels * bits / 8 bytes

    std::size_t pixel_bytes() const { return static_cast<std::size_t>(channels) * static_cast<std::size_t>(bits / 8); }
    std::size_t row_bytes() const { return static_cast<std::size_t>(width) * pixel_bytes(); }
};

/// @brief Size and layout read from the header alone, without decoding.
struct image_header {
    int width = 0;
    int height = 0;
    int channels = 0;
    int bits = 8;
    int jpeg_subsampling = -1;  ///< a JPEG's TurboJPEG subsampling (TJSAMP_*), else -1
};

/// @brief Reads the header; throws image_error for CMYK JPEG, a corrupt header or an unknown format.
image_header read_header(const std::uint8_t* data, std::size_t size, file_format format);

/// @brief Throws image_error when the header declares an empty image or more than `max_pixels` pixels.
void check_pixel_limit(const image_header& header, std::uint64_t max_pixels);

/// @brief Decodes a whole image after checking from its header that it has at most `max_pixels` pixels,
/// so that a small file declaring a huge image is refused before any large allocation.
/// A truncated JPEG is an error, not a gray-padded picture. GIF: the first frame.
image decode(const std::uint8_t* data, std::size_t size, file_format format, std::uint64_t max_pixels);

/// @brief The image turned clockwise by `degrees` (0, 90, 180 or 270); 180 reuses the image's memory.
image rotated(image in, int degrees);

/// @brief 8-bit samples without alpha (alpha composited onto white, 16-bit rounded to 8): what JPEG holds.
image flattened_to_8bit_opaque(const image& in);

/// @brief JPEG bytes at `quality` (1-100). Needs an 8-bit gray or RGB image (see flattened_to_8bit_opaque).
/// Keeps a JPEG input's chroma subsampling; otherwise 4:4:4 at quality >= 90, 4:2:0 below.
std::vector<std::uint8_t> encode_jpeg(const image& img, int quality);

/// @brief PNG bytes, keeping 8 or 16 bits and every channel.
std::vector<std::uint8_t> encode_png(const image& img);

/// @brief A PNG around raw scanlines as PNG stores them (no filter bytes; 16-bit samples big-endian), each
/// `row_bytes` long, with a PLTE chunk when `palette` (RGB triples) is not empty. It checks nothing: the
/// tests use it to make palette images and files whose header lies about their size.
std::vector<std::uint8_t> png_from_scanlines(int width, int height, int bit_depth, int color_type,
                                             const std::vector<std::uint8_t>& scanlines, std::size_t row_bytes,
                                             const std::vector<std::uint8_t>& palette = {});

/// @brief BMP or TGA bytes (8-bit only: 16-bit images are rounded first).
std::vector<std::uint8_t> encode_bmp(const image& img);
std::vector<std::uint8_t> encode_tga(const image& img);

} // namespace rotate
