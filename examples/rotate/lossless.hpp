// parmap-rotate's lossless path: a JPEG turned by 90, 180 or 270 degrees without decoding, with TurboJPEG's
// transform of the DCT coefficients (jpegtran's). No quality is lost and it costs less than half of a decode
// and re-encode; it is exact only when the edges that move hold whole MCUs (TJXOPT_PERFECT).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace rotate {

/// @brief A JPEG turned losslessly, and its size in pixels after the turn.
struct turned_jpeg {
    std::vector<std::uint8_t> bytes;
    int width = 0;
    int height = 0;
};

/// @brief Whether a JPEG of this size and TurboJPEG subsampling (TJSAMP_*) turns clockwise by `degrees`
/// without losing or moving pixels: the edges that the turn moves to the top or left must hold whole MCUs
/// (MCU: 8x8 pixels for gray and 4:4:4, 16x16 for 4:2:0, 16x8 for 4:2:2, 8x16 for 4:4:0, 32x8 for 4:1:1).
/// 90 needs whole MCU rows (height), 270 whole MCU columns (width), 180 both.
/// @code rotate::turns_losslessly(640, 400, TJSAMP_420, 180)  // true: 640 = 40 x 16, 400 = 25 x 16 @endcode
bool turns_losslessly(int width, int height, int subsampling, int degrees);

/// @brief The JPEG in `data` turned clockwise by `degrees` (90, 180 or 270) without decoding: the same
/// quantised DCT coefficients, moved, transposed and negated (TJXOPT_PERFECT, never TJXOPT_TRIM, which would
/// drop pixels); no metadata is copied (no EXIF orientation left to contradict the turn). Gray stays gray.
/// Throws image_error where decoding would refuse the header (CMYK, corrupt, more than `max_pixels` pixels).
/// Returns nothing when the turn would not be exact (see turns_losslessly) or TurboJPEG reports any warning
/// or error in the data: the caller then decodes, which reports damage with its usual messages.
std::optional<turned_jpeg> rotated_losslessly(const std::uint8_t* data, std::size_t size, int degrees, std::uint64_t max_pixels);

/// @brief Whether every DCT coefficient of the JPEG in `data` reads without a TurboJPEG warning or error
/// (the entropy-coded data is whole and sound), without writing anything: what a PDF that embeds the file
/// as it is needs checked. Costs the Huffman decoding alone, well under a decode.
bool reads_cleanly(const std::uint8_t* data, std::size_t size);

} // namespace rotate
