// ICC colour profiles: parmap-rotate drops a photo's metadata (so that no viewer turns it twice by its EXIF
// orientation), but keeps its colour profile, which says what its numbers mean: an Adobe RGB photo written
// without one is shown as sRGB, its colours changed. The profile is copied as it is, never converted.
#pragma once

#include "image.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rotate {

/// @brief The ICC profile embedded in a JPEG (APP2 "ICC_PROFILE" segments, joined in order) or a PNG (its
/// iCCP chunk, inflated; at most 16 MiB); empty when there is none, or when it is incomplete or damaged
/// (the image is then written without one, as before).
std::vector<std::uint8_t> icc_profile(const std::uint8_t* data, std::size_t size, file_format format);

/// @brief How many colour channels a profile describes (1 gray, 3 RGB), from its header; 0 for any other.
int icc_channels(const std::vector<std::uint8_t>& profile);

/// @brief `jpeg` with `profile` in APP2 segments after SOI (and after JFIF's APP0 when there is one).
std::vector<std::uint8_t> jpeg_with_icc(const std::vector<std::uint8_t>& jpeg, const std::vector<std::uint8_t>& profile);

/// @brief `png` with `profile` in an iCCP chunk after IHDR.
std::vector<std::uint8_t> png_with_icc(const std::vector<std::uint8_t>& png, const std::vector<std::uint8_t>& profile);

} // namespace rotate
