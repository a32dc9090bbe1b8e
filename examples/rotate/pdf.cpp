// One-page PDFs around JPEG data, with libharu; see pdf.hpp.
#include "pdf.hpp"

#include "icc.hpp"
#include "image.hpp"

#include <hpdf.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <type_traits>

namespace rotate {
namespace {

// libharu reports errors through a callback and error codes; the callback only records the first one.
struct pdf_status {
    HPDF_STATUS error = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void record_error(HPDF_STATUS error, HPDF_STATUS detail, void* user_data) {
    auto* status = static_cast<pdf_status*>(user_data);
    if (status->error == HPDF_OK) {
        status->error = error;
        status->detail = detail;
    }
}

[[noreturn]] void fail(const pdf_status& status, const char* what) {
    char code[64];
    std::snprintf(code, sizeof code, "libharu error 0x%04X/%u", static_cast<unsigned>(status.error),
                  static_cast<unsigned>(status.detail));
    throw image_error(std::string("PDF writing failed while ") + what + " (" + code + ")");
}

// `value` with at most two decimals and no trailing zeros: 72.01, 384.
std::string decimal(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    std::string s = text;
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
    return s;
}

// The image's colour space becomes [/ICCBased <<the profile>>] (PDF 1.3), through libharu's lower-level
// objects: its public API embeds a profile only as a PDF/A output intent.
void use_profile(HPDF_Doc doc, HPDF_Image picture, const std::vector<std::uint8_t>& profile, pdf_status& status) {
    const HPDF_Dict image = picture;
    HPDF_Name current = static_cast<HPDF_Name>(HPDF_Dict_GetItem(image, "ColorSpace", HPDF_OCLASS_NAME));
    const int channels = icc_channels(profile);
    const std::string device = current != nullptr ? current->value : "";
    if (channels != (device == "DeviceGray" ? 1 : device == "DeviceRGB" ? 3 : -1)) return;  // a profile for other channels: left out
    HPDF_Stream data = HPDF_MemStream_New(doc->mmgr, static_cast<HPDF_UINT>(profile.size()));
    if (data == nullptr) fail(status, "embedding the colour profile");
    std::unique_ptr<std::remove_pointer_t<HPDF_Stream>, void (*)(HPDF_Stream)> owner(data, HPDF_Stream_Free);
    if (HPDF_Stream_Write(data, profile.data(), static_cast<HPDF_UINT>(profile.size())) != HPDF_OK) fail(status, "embedding the colour profile");
    HPDF_OutputIntent icc = HPDF_ICC_LoadIccFromMem(doc, doc->mmgr, data, doc->xref, channels);
    HPDF_Array space = icc != nullptr ? HPDF_Array_New(doc->mmgr) : nullptr;
    if (space == nullptr || HPDF_Array_AddName(space, "ICCBased") != HPDF_OK || HPDF_Array_Add(space, icc) != HPDF_OK ||
        HPDF_Dict_Add(image, "ColorSpace", space) != HPDF_OK)
        fail(status, "embedding the colour profile");
}

} // namespace

void check_pdf_page(int width, int height, double dpi) {
    const double page_width = width * 72.0 / dpi, page_height = height * 72.0 / dpi;
    auto in_limits = [](double points) { return points >= HPDF_MIN_PAGE_SIZE && points <= HPDF_MAX_PAGE_SIZE; };
    if (in_limits(page_width) && in_limits(page_height)) return;
    // The long side must shrink to 14400 points (dpi >= long / 200), the short one keep 3 (dpi <= 24 x short);
    // --dpi itself goes from 1 to 100000. The range is rounded inwards to two decimals.
    const double long_side = std::max(width, height), short_side = std::min(width, height);
    const double lowest = std::ceil(std::max(1.0, long_side * 72.0 / HPDF_MAX_PAGE_SIZE) * 100) / 100;
    const double highest = std::floor(std::min(100000.0, short_side * 72.0 / HPDF_MIN_PAGE_SIZE) * 100) / 100;
    std::string message = "at " + decimal(dpi) + " dpi a " + std::to_string(width) + "x" + std::to_string(height) +
                          " image makes a page of " + decimal(page_width) + "x" + decimal(page_height) + " points, outside PDF's limits (" +
                          std::to_string(HPDF_MIN_PAGE_SIZE) + " to " + std::to_string(HPDF_MAX_PAGE_SIZE) + " points a side)";
    if (lowest <= highest) {
        message += ": choose a --dpi from " + decimal(lowest) + " to " + decimal(highest);
    } else {
        message += "; no --dpi fits (its sides differ more than " + std::to_string(HPDF_MAX_PAGE_SIZE / HPDF_MIN_PAGE_SIZE) +
                   " times): write it as PNG or JPEG";
    }
    throw image_error(message);
}

std::vector<std::uint8_t> pdf_with_jpeg(const std::vector<std::uint8_t>& jpeg, int width, int height, double dpi,
                                        const std::vector<std::uint8_t>& profile, int degrees) {
    check_pdf_page(width, height, dpi);
    const double image_width = width * 72.0 / dpi, image_height = height * 72.0 / dpi;
    const bool quarter = degrees == 90 || degrees == 270;
    const double page_width = quarter ? image_height : image_width, page_height = quarter ? image_width : image_height;
    pdf_status status;
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> doc(HPDF_New(record_error, &status), HPDF_Free);
    if (!doc) throw image_error("PDF writing failed: out of memory");
    HPDF_Image picture = HPDF_LoadJpegImageFromMem(doc.get(), jpeg.data(), static_cast<HPDF_UINT>(jpeg.size()));
    if (picture == nullptr || status.error != HPDF_OK) fail(status, "embedding the JPEG");
    if (!profile.empty()) use_profile(doc.get(), picture, profile, status);
    HPDF_Page page = HPDF_AddPage(doc.get());
    if (page == nullptr) fail(status, "adding the page");
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(page_width));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(page_height));
    // Clockwise in PDF's y-up space: 90 sends (x, y) to (y, W - x), 180 to (W - x, H - y), 270 to (H - y, x),
    // W x H being the image's size in points; the matrix is [a b c d e f] with x' = a x + c y + e, y' = b x + d y + f.
    const auto w = static_cast<HPDF_REAL>(image_width), h = static_cast<HPDF_REAL>(image_height);
    HPDF_Page_GSave(page);
    if (degrees == 90) HPDF_Page_Concat(page, 0, -1, 1, 0, 0, w);
    if (degrees == 180) HPDF_Page_Concat(page, -1, 0, 0, -1, w, h);
    if (degrees == 270) HPDF_Page_Concat(page, 0, 1, -1, 0, h, 0);
    HPDF_Page_DrawImage(page, picture, 0, 0, w, h);
    HPDF_Page_GRestore(page);
    if (status.error != HPDF_OK || HPDF_SaveToStream(doc.get()) != HPDF_OK) fail(status, "laying out the page");
    std::vector<std::uint8_t> out(HPDF_GetStreamSize(doc.get()));
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    const HPDF_STATUS read = HPDF_ReadFromStream(doc.get(), out.data(), &size);  // STREAM_EOF: read it all
    if (read != HPDF_OK && read != HPDF_STREAM_EOF) fail(status, "reading the finished document");
    out.resize(size);
    return out;
}

} // namespace rotate
