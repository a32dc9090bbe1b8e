// parmap-rotate gets the pixels right: exact for PNG (every angle; 8 and 16 bits; gray, gray+alpha, RGB,
// RGBA; palette; BMP, top-down BMP and TGA inputs), within a stated tolerance for JPEG and PDF outputs, which are
// decoded back (PDF pages rendered by poppler's pdftoppm) and whose page size pdfinfo checks.
#include "tool.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image_write.h>
#include <turbojpeg.h>

#include <string>
#include <vector>

using namespace rotate_test;

namespace {

struct sample {
    std::string name;
    rotate::image image;
};

// PNG inputs of every layout, BMP and TGA; odd sizes so that width and height differ.
std::vector<sample> lossless_samples(const fs::path& dir) {
    std::vector<sample> samples;
    const int layouts[][2] = {{1, 8}, {2, 8}, {3, 8}, {4, 8}, {1, 16}, {2, 16}, {3, 16}, {4, 16}};
    for (const auto& [channels, bits] : layouts) {
        sample s{"c" + std::to_string(channels) + "_" + std::to_string(bits) + "bit.png", asymmetric(37, 23, channels, bits)};
        write_bytes(dir / s.name, rotate::encode_png(s.image));
        samples.push_back(std::move(s));
    }
    // Palette PNG: indices stored, RGB expected.
    rotate::image indices = asymmetric(29, 17, 1, 8), expanded = asymmetric(29, 17, 3, 8);
    std::vector<std::uint8_t> palette;
    for (unsigned i = 0; i < 256; ++i) palette.insert(palette.end(), {std::uint8_t(i), std::uint8_t(255 - i), std::uint8_t(i * 3)});
    for (std::size_t p = 0; p < indices.pixels.size(); ++p)
        for (std::size_t c = 0; c < 3; ++c) expanded.pixels[p * 3 + c] = palette[indices.pixels[p] * 3u + c];
    write_bytes(dir / "palette.png", rotate::png_from_scanlines(29, 17, 8, 3, indices.pixels, 29, palette));
    samples.push_back({"palette.png", expanded});
    const rotate::image rgb = asymmetric(31, 19, 3, 8);
    write_bytes(dir / "bmp_picture.bmp", rotate::encode_bmp(rgb));
    samples.push_back({"bmp_picture.bmp", rgb});
    const rotate::image rgba = asymmetric(31, 19, 4, 8);
    write_bytes(dir / "tga_picture.tga", rotate::encode_tga(rgba));
    samples.push_back({"tga_picture.tga", rgba});
    return samples;
}

// A JPEG with TurboJPEG flags the tool's encoder does not use (progressive).
std::vector<std::uint8_t> jpeg_with_flags(const rotate::image& img, int flags) {
    return jpeg_with(img, img.channels == 1 ? TJSAMP_GRAY : TJSAMP_420, 95, flags);
}

std::string pts(int width, int height) { return std::to_string(width) + " x " + std::to_string(height) + " pts"; }

} // namespace

TEST_CASE("PNG output is the exact rotation for every angle and layout and lossless input format", "[rotate][pixels]") {
    scratch_dir dir;
    fs::create_directories(dir / "in");
    const std::vector<sample> samples = lossless_samples(dir / "in");
    for (int angle : {90, 180, 270}) {
        const fs::path out = dir / ("out" + std::to_string(angle));
        const run_result r = run_tool({(dir / "in").string(), "-o", out.string(), "--format", "png", "--angle", std::to_string(angle)});
        INFO(r.err);
        REQUIRE(r.status == 0);
        for (const sample& s : samples) {
            INFO(s.name << " at " << angle);
            const rotate::image got = decode_file(out / (fs::path(s.name).stem().string() + "_flipped.png"));
            const rotate::image want = expected_rotation(s.image, angle);
            CHECK(got.width == want.width);
            CHECK(got.height == want.height);
            CHECK(got.channels == want.channels);
            CHECK(got.bits == want.bits);
            CHECK(got.pixels == want.pixels);
        }
    }
}

TEST_CASE("Format same keeps BMP and TGA and JPEG output matches within tolerance", "[rotate][pixels]") {
    scratch_dir dir;
    const rotate::image rgb = asymmetric(31, 19, 3, 8);
    write_bytes(dir / "a.bmp", rotate::encode_bmp(rgb));
    write_bytes(dir / "b.tga", rotate::encode_tga(rgb));
    const rotate::image photo = smooth(160, 120, 3);
    write_bytes(dir / "c.png", rotate::encode_png(photo));
    REQUIRE(run_tool({(dir / "a.bmp").string(), (dir / "b.tga").string(), "--format", "same", "--angle", "90"}).status == 0);
    CHECK(decode_file(dir / "a_flipped.bmp").pixels == expected_rotation(rgb, 90).pixels);
    CHECK(decode_file(dir / "b_flipped.tga").pixels == expected_rotation(rgb, 90).pixels);

    // Tolerance for JPEG at quality 95 on this smooth image: mean error at most 2 levels of 255. The wrong
    // rotation is tens of levels off, so the check tells orientations apart.
    REQUIRE(run_tool({(dir / "c.png").string(), "--format", "jpg", "--quality", "95", "--angle", "270"}).status == 0);
    const rotate::image got = decode_file(dir / "c_flipped.jpg");
    CHECK(compare(got, expected_rotation(photo, 270)).mean <= 2.0);
    CHECK(compare(got, expected_rotation(expected_rotation(photo, 180), 270)).mean > 20.0);
}

TEST_CASE("PDF output is one JPEG page of the image size at 72 dpi that renders as the rotation", "[rotate][pdf]") {
    scratch_dir dir;
    const rotate::image rgb = smooth(160, 120, 3), gray = smooth(90, 70, 1);
    write_bytes(dir / "rgb.png", rotate::encode_png(rgb));
    write_bytes(dir / "gray.jpg", jpeg_with_flags(gray, 0));
    write_bytes(dir / "progressive.jpg", jpeg_with_flags(rgb, TJFLAG_PROGRESSIVE));
    for (int angle : {90, 180, 270}) {
        INFO("angle " << angle);
        const fs::path out = dir / ("pdf" + std::to_string(angle));
        const run_result r = run_tool({dir.path().string(), "-o", out.string(), "--angle", std::to_string(angle), "--quality", "95"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        const rotate::image want_rgb = expected_rotation(rgb, angle), want_gray = expected_rotation(gray, angle);
        CHECK(count_of(command_output("pdfinfo '" + (out / "rgb_flipped.pdf").string() + "'"),
                       pts(want_rgb.width, want_rgb.height)) == 1);
        CHECK(count_of(command_output("pdfinfo '" + (out / "gray_flipped.pdf").string() + "'"),
                       pts(want_gray.width, want_gray.height)) == 1);
        CHECK(pdf_pages(out / "rgb_flipped.pdf") == 1);
        // Colour space and encoding as stored in the file: JPEG (DCTDecode), gray or RGB.
        const std::string images = command_output("pdfimages -list '" + (out / "gray_flipped.pdf").string() + "'");
        CHECK(count_of(images, "gray") == 1);
        CHECK(count_of(images, "jpeg") == 1);
        CHECK(count_of(command_output("pdfimages -list '" + (out / "rgb_flipped.pdf").string() + "'"), "rgb") == 1);
        // Rendered at 72 dpi, a page pixel is an image pixel. Tolerance: mean error at most 3 levels (JPEG at
        // quality 95 plus poppler's rendering); the JPEG inputs were lossy already, so they are compared with
        // the rotation of what they decode to.
        CHECK(compare(render_pdf(out / "rgb_flipped.pdf", 72), want_rgb).mean <= 3.0);
        rotate::image rendered_gray = render_pdf(out / "gray_flipped.pdf", 72, true);
        CHECK(compare(rendered_gray, expected_rotation(decode_file(dir / "gray.jpg"), angle)).mean <= 3.0);
        CHECK(compare(render_pdf(out / "progressive_flipped.pdf", 72), expected_rotation(decode_file(dir / "progressive.jpg"), angle))
                  .mean <= 3.0);
    }
    // --dpi 144 halves the page, not the pixels.
    REQUIRE(run_tool({(dir / "rgb.png").string(), "-o", (dir / "dpi").string(), "--dpi", "144"}).status == 0);
    CHECK(count_of(command_output("pdfinfo '" + (dir / "dpi" / "rgb_flipped.pdf").string() + "'"), pts(80, 60)) == 1);
    CHECK(render_pdf(dir / "dpi" / "rgb_flipped.pdf", 144).width == 160);
}

TEST_CASE("A BMP stored top-down (negative height) is read the right way up", "[rotate][pixels]") {
    scratch_dir dir;
    const rotate::image img = asymmetric(37, 23, 3, 8);
    std::vector<std::uint8_t> bmp = rotate::encode_bmp(img);  // bottom-up, 24-bit, rows padded to 4 bytes
    const std::size_t offset = bmp[10] | std::size_t{bmp[11]} << 8, row = (37 * 3 + 3) / 4 * 4;
    std::vector<std::uint8_t> top_down(bmp.begin(), bmp.begin() + static_cast<std::ptrdiff_t>(offset));
    for (std::size_t r = 23; r-- > 0;) {
        const auto first = bmp.begin() + static_cast<std::ptrdiff_t>(offset + r * row);
        top_down.insert(top_down.end(), first, first + static_cast<std::ptrdiff_t>(row));
    }
    const std::uint32_t minus_23 = static_cast<std::uint32_t>(-23);
    for (int k = 0; k < 4; ++k) top_down[22 + static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(minus_23 >> (8 * k));
    write_bytes(dir / "down.bmp", top_down);
    const run_result r = run_tool({(dir / "down.bmp").string(), "--format", "png", "--angle", "90"});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(decode_file(dir / "down_flipped.png").pixels == expected_rotation(img, 90).pixels);
}

TEST_CASE("A PDF page outside PDF's size limits is refused from the header, with the --dpi range that fits", "[rotate][pdf]") {
    scratch_dir dir;
    // 14401x16: too wide at 72 dpi, fine from 72.005 to 384 dpi. Its IDAT is damaged, so only a refusal made
    // before decoding can name the page size (decoding would fail on the CRC).
    std::vector<std::uint8_t> wide = rotate::encode_png(asymmetric(14401, 16, 1, 8));
    wide[wide.size() - 12 - 4 - 10] ^= 0x20;  // a byte in the IDAT data, before its CRC and IEND
    write_bytes(dir / "wide.png", wide);
    // 14401x2: no --dpi fits (the long side needs at least 72.005, the short side at most 48).
    write_bytes(dir / "strip.png", rotate::encode_png(asymmetric(14401, 2, 1, 8)));
    const run_result r = run_tool({dir.path().string()});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(count_of(r.err, (dir / "wide.png").string() + ": at 72 dpi a 14401x16 image makes a page of 14401x16 points, "
                          "outside PDF's limits (3 to 14400 points a side): choose a --dpi from 72.01 to 384") == 1);
    CHECK(count_of(r.err, (dir / "strip.png").string() + ": at 72 dpi a 14401x2 image makes a page of 14401x2 points, "
                           "outside PDF's limits (3 to 14400 points a side); no --dpi fits (its sides differ more than 4800 times)") == 1);
    // In the range it fits.
    const run_result fits = run_tool({(dir / "strip.png").string(), "-o", (dir / "out").string(), "--dpi", "40"});
    CHECK(fits.status == 1);  // 40 dpi: 25922 points long
    write_bytes(dir / "narrow.png", rotate::encode_png(asymmetric(14401, 16, 1, 8)));
    CHECK(run_tool({(dir / "narrow.png").string(), "--dpi", "100"}).status == 0);
}
