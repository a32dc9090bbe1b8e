// parmap-rotate's PDF output: one page holding one JPEG image, written with libharu.
#pragma once

#include <cstdint>
#include <vector>

namespace rotate {

/// @brief A one-page PDF whose page is the image at `dpi` (72: one point per pixel), the JPEG bytes embedded
/// as they are (DCTDecode), gray or RGB as the JPEG says. Throws image_error when the page would fall outside
/// PDF's page size limits (3 to 14400 points) or libharu fails.
/// @code auto pdf = rotate::pdf_with_jpeg(encode_jpeg(img, 90), img.width, img.height, 72.0); @endcode
std::vector<std::uint8_t> pdf_with_jpeg(const std::vector<std::uint8_t>& jpeg, int width, int height, double dpi);

} // namespace rotate
