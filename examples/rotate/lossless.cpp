// Lossless turns of JPEG files with TurboJPEG's transform; see lossless.hpp.
#include "lossless.hpp"

#include "image.hpp"
#include "turbojpeg_handle.hpp"

#include <memory>

namespace rotate {

bool turns_losslessly(int width, int height, int subsampling, int degrees) {
    if (subsampling < 0 || subsampling >= TJ_NUMSAMP) return false;
    // libjpeg's rule (transupp.c, jtransform_perfect_transform): a partial MCU on an edge that a turn moves to
    // the top or left cannot be moved whole, so the transform would have to drop or shift it.
    const bool whole_columns = width % tjMCUWidth[subsampling] == 0, whole_rows = height % tjMCUHeight[subsampling] == 0;
    if (degrees == 90) return whole_rows;
    if (degrees == 270) return whole_columns;
    return degrees == 180 && whole_columns && whole_rows;
}

std::optional<turned_jpeg> rotated_losslessly(const std::uint8_t* data, std::size_t size, int degrees, std::uint64_t max_pixels) {
    const image_header h = read_header(data, size, file_format::jpeg);
    check_pixel_limit(h, max_pixels);
    if (!turns_losslessly(h.width, h.height, h.jpeg_subsampling, degrees)) return std::nullopt;
    tjtransform turn{};
    turn.op = degrees == 90 ? TJXOP_ROT90 : degrees == 180 ? TJXOP_ROT180 : TJXOP_ROT270;
    turn.options = TJXOPT_PERFECT | TJXOPT_COPYNONE;  // PERFECT also guards turns_losslessly: an error, never a guess
    unsigned char* buffer = nullptr;
    unsigned long turned_size = 0;
    // LIMITSCANS refuses progressive files with absurd scan counts (a CPU bomb), as decoding does. Any
    // complaint, a warning included (a truncated file, corrupt scan data), sends the file to the decoder,
    // which reports it as an error (decode_jpeg).
    const int status = tjTransform(transformer().get(), data, static_cast<unsigned long>(size), 1, &buffer, &turned_size, &turn,
                                   TJFLAG_LIMITSCANS | TJFLAG_STOPONWARNING);
    std::unique_ptr<unsigned char, void (*)(unsigned char*)> owner(buffer, tjFree);
    if (status != 0) {
        transformer().reset();
        return std::nullopt;
    }
    turned_jpeg out;
    out.bytes.assign(buffer, buffer + turned_size);
    out.width = degrees == 180 ? h.width : h.height;
    out.height = degrees == 180 ? h.height : h.width;
    return out;
}

bool reads_cleanly(const std::uint8_t* data, std::size_t size) {
    tjtransform read_only{};
    read_only.op = TJXOP_NONE;
    read_only.options = TJXOPT_NOOUTPUT;  // the coefficients are read (and their damage reported), nothing written
    unsigned char* buffer = nullptr;
    unsigned long written = 0;
    const int status = tjTransform(transformer().get(), data, static_cast<unsigned long>(size), 1, &buffer, &written, &read_only,
                                   TJFLAG_LIMITSCANS | TJFLAG_STOPONWARNING);
    tjFree(buffer);
    if (status != 0) transformer().reset();
    return status == 0;
}

} // namespace rotate
