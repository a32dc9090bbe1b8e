// parmap-rotate's PDF output: one page holding one JPEG image, written with libharu.
#pragma once

#include <cstdint>
#include <vector>

namespace rotate {

/// @brief Throws image_error when a width x height image at `dpi` makes a page outside PDF's page size limits
/// (3 to 14400 points on each edge): naming the --dpi range that fits, or saying that none does (edges
/// that differ more than 4800 times). Needs only the header's size, so it is checked before decoding.
void check_pdf_page(int width, int height, double dpi);

/// @brief A one-page PDF whose page is the image at `dpi` (72: one point per pixel), the JPEG bytes embedded
/// as they are (DCTDecode), gray or RGB as the JPEG says; with an ICC `profile` of as many channels (icc.hpp),
/// the image's colour space is that profile (ICCBased). Throws image_error when the page would fall outside
/// PDF's page size limits (check_pdf_page) or libharu fails.
/// @code auto pdf = rotate::pdf_with_jpeg(encode_jpeg(img, 90), img.width, img.height, 72.0); @endcode
/// `degrees` (0, 90, 180, 270) turns the drawing clockwise with the page's transformation matrix: the page is
/// the turned image, the JPEG stays as it is (width x height are the JPEG's own), so a viewer shows exactly
/// the turned photo while `pdfimages` extracts the file unturned.
std::vector<std::uint8_t> pdf_with_jpeg(const std::vector<std::uint8_t>& jpeg, int width, int height, double dpi,
                                        const std::vector<std::uint8_t>& profile = {}, int degrees = 0);

} // namespace rotate
