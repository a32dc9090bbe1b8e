// One-page PDFs around JPEG data, with libharu; see pdf.hpp.
#include "pdf.hpp"

#include "image.hpp"

#include <hpdf.h>

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

} // namespace

std::vector<std::uint8_t> pdf_with_jpeg(const std::vector<std::uint8_t>& jpeg, int width, int height, double dpi) {
    const double page_width = width * 72.0 / dpi, page_height = height * 72.0 / dpi;
    auto in_limits = [](double points) { return points >= HPDF_MIN_PAGE_SIZE && points <= HPDF_MAX_PAGE_SIZE; };
    if (!in_limits(page_width) || !in_limits(page_height)) {
        char message[200];
        std::snprintf(message, sizeof message,
                      "at %g dpi the page would be %.0fx%.0f points, outside PDF's limits (%d to %d points): choose another --dpi",
                      dpi, page_width, page_height, HPDF_MIN_PAGE_SIZE, HPDF_MAX_PAGE_SIZE);
        throw image_error(message);
    }
    pdf_status status;
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> doc(HPDF_New(record_error, &status), HPDF_Free);
    if (!doc) throw image_error("PDF writing failed: out of memory");
    HPDF_Image picture = HPDF_LoadJpegImageFromMem(doc.get(), jpeg.data(), static_cast<HPDF_UINT>(jpeg.size()));
    if (picture == nullptr || status.error != HPDF_OK) fail(status, "embedding the JPEG");
    HPDF_Page page = HPDF_AddPage(doc.get());
    if (page == nullptr) fail(status, "adding the page");
    HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(page_width));
    HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(page_height));
    HPDF_Page_DrawImage(page, picture, 0, 0, static_cast<HPDF_REAL>(page_width), static_cast<HPDF_REAL>(page_height));
    if (status.error != HPDF_OK || HPDF_SaveToStream(doc.get()) != HPDF_OK) fail(status, "laying out the page");
    std::vector<std::uint8_t> out(HPDF_GetStreamSize(doc.get()));
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    const HPDF_STATUS read = HPDF_ReadFromStream(doc.get(), out.data(), &size);  // STREAM_EOF: read it all
    if (read != HPDF_OK && read != HPDF_STREAM_EOF) fail(status, "reading the finished document");
    out.resize(size);
    return out;
}

} // namespace rotate
