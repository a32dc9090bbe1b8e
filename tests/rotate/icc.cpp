// An ICC colour profile is kept, as it is, in every output that can hold one: JPEG (turned losslessly or
// re-encoded), PNG, and PDF (the image's colour space becomes ICCBased), from JPEG and PNG inputs alike.
#include "icc.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace rotate_test;

namespace {

using bytes = std::vector<std::uint8_t>;

// A 132-byte profile header of an RGB display profile with no tags: enough to be carried, not to be used.
bytes rgb_profile() {
    bytes p(132, 0);
    p[3] = 132;
    const std::string fields[][2] = {{"4", "none"}, {"12", "mntr"}, {"16", "RGB "}, {"20", "XYZ "}, {"36", "acsp"}};
    for (const auto& field : fields) std::copy(field[1].begin(), field[1].end(), p.begin() + std::stoi(field[0]));
    p[8] = 2;
    p[9] = 0x10;
    return p;
}

// `jpeg` with `profile` in one APP2 segment after its JFIF APP0, spelled out here (not by the tool's writer).
bytes with_app2(const bytes& jpeg, const bytes& profile) {
    const std::size_t after_app0 = 4 + (std::size_t{jpeg[4]} << 8 | jpeg[5]);
    const std::string marker("ICC_PROFILE\0\x01\x01", 14);
    const std::size_t length = 2 + marker.size() + profile.size();
    bytes out(jpeg.begin(), jpeg.begin() + static_cast<std::ptrdiff_t>(after_app0));
    out.insert(out.end(), {0xff, 0xe2, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xff)});
    out.insert(out.end(), marker.begin(), marker.end());
    out.insert(out.end(), profile.begin(), profile.end());
    out.insert(out.end(), jpeg.begin() + static_cast<std::ptrdiff_t>(after_app0), jpeg.end());
    return out;
}

bool contains(const bytes& haystack, const bytes& needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) != haystack.end();
}

} // namespace

TEST_CASE("An ICC profile is kept in JPEG, PNG and PDF outputs", "[rotate][icc]") {
    scratch_dir dir;
    const bytes profile = rgb_profile();
    write_bytes(dir / "photo.jpg", with_app2(jpeg_with(smooth(64, 48, 3), TJSAMP_420, 90), profile));
    write_bytes(dir / "drawing.png", rotate::png_with_icc(rotate::encode_png(asymmetric(21, 13, 3, 8)), profile));
    const std::string photo = (dir / "photo.jpg").string(), drawing = (dir / "drawing.png").string();
    struct run {
        std::vector<std::string> args;
        std::string output;
    };
    const std::vector<run> runs{
        {{photo, "--format", "jpg", "-o", (dir / "lossless").string()}, "lossless/photo_flipped.jpg"},
        {{photo, "--format", "jpg", "--quality", "80", "-o", (dir / "reencoded").string()}, "reencoded/photo_flipped.jpg"},
        {{photo, "--format", "png", "-o", (dir / "png").string()}, "png/photo_flipped.png"},
        {{drawing, "--format", "png", "-o", (dir / "png").string()}, "png/drawing_flipped.png"},
        {{drawing, "--format", "jpg", "-o", (dir / "jpg").string()}, "jpg/drawing_flipped.jpg"},
    };
    for (const run& r : runs) {
        INFO(r.output);
        const run_result result = run_tool(r.args);
        INFO(result.err);
        REQUIRE(result.status == 0);
        const bytes out = read_bytes(dir / r.output);
        const bool jpeg = fs::path(r.output).extension() == ".jpg";
        if (jpeg) CHECK(contains(out, profile));  // one APP2 segment holds it whole
        CHECK(rotate::icc_profile(out.data(), out.size(), jpeg ? rotate::file_format::jpeg : rotate::file_format::png) == profile);
    }
    // PDF: the image's colour space is the profile (pdfimages -list says icc), turned losslessly or not.
    for (const std::string& input : {photo, drawing}) {
        INFO(input);
        REQUIRE(run_tool({input, "-o", (dir / "pdf").string()}).status == 0);
        const fs::path pdf = dir / "pdf" / (fs::path(input).stem().string() + "_flipped.pdf");
        CHECK(command_output("pdfimages -list '" + pdf.string() + "'").find(" icc ") != std::string::npos);
    }
}
