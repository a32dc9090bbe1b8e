// Damaged files are never "written": a truncated BMP, TGA, GIF or PNG (stb_image would read the missing
// bytes as zeros), a PNG whose chunk fails its CRC (stb never checks), and a JPEG whose scan data libjpeg
// calls corrupt (it only warns) each fail with one line naming the file and the reason, leave no output,
// and the good files beside them are still written. Valid files in layouts the decoders lack (4:1:0 JPEG,
// run-length BMP) are called unsupported, with the reason, not invalid.
#include "files.hpp"
#include "tool.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image_write.h>
#include <turbojpeg.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace rotate_test;

namespace {

using bytes = std::vector<std::uint8_t>;

bytes first(const bytes& b, std::size_t n) { return bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n)); }

std::size_t find(const bytes& b, const std::string& text) {
    const auto at = std::search(b.begin(), b.end(), text.begin(), text.end(),
                                [](std::uint8_t byte, char c) { return byte == static_cast<std::uint8_t>(c); });
    REQUIRE(at != b.end());
    return static_cast<std::size_t>(at - b.begin());
}

// 16 stuffed 0xff data bytes (0xff 0x00) in the middle of the scan: 128 one-bits, which no Huffman code
// spells, so libjpeg warns "Corrupt JPEG data: bad Huffman code" and decodes the rest as best it can.
bytes with_corrupt_scan(bytes jpeg) {
    const std::size_t sos = find(jpeg, "\xff\xda");
    const std::size_t scan = sos + 2 + (std::size_t{jpeg[sos + 2]} << 8 | jpeg[sos + 3]);
    const std::size_t middle = scan + (jpeg.size() - 2 - scan) / 2;
    for (std::size_t k = 0; k < 32; k += 2) jpeg[middle + k] = 0xff, jpeg[middle + k + 1] = 0x00;
    return jpeg;
}

bytes uncompressed_tga(const rotate::image& img) {
    stbi_write_tga_with_rle = 0;
    bytes out = rotate::encode_tga(img);
    stbi_write_tga_with_rle = 1;
    return out;
}

} // namespace

TEST_CASE("Truncated and damaged files of every format fail with their reason and leave no output", "[rotate][safety]") {
    scratch_dir dir;
    const fs::path in = dir / "in", out = dir / "out";
    fs::create_directories(in);
    const rotate::image rgba = asymmetric(64, 48, 4, 8), rgb = smooth(64, 48, 3);
    const bytes png = rotate::encode_png(rgba), jpeg = jpeg_with(rgb, TJSAMP_420, 90), bmp = rotate::encode_bmp(rgb);
    const bytes tga_rle = rotate::encode_tga(rgba), tga = uncompressed_tga(rgba);
    const bytes gif = tiny_gif();  // cut 3 bytes short, its image data lacks a byte and its terminator
    bytes png_flipped = png;
    png_flipped[find(png, "IDAT") + 4 + 20] ^= 0x10;

    struct damaged {
        const char* name;
        bytes content;
        const char* says;
    };
    const std::vector<damaged> files{
        {"half_bmp.bmp", first(bmp, bmp.size() / 2), "truncated BMP (its 64x48 pixels from byte 54: 9270 bytes needed, the file has 4635)"},
        {"half_tga.tga", first(tga, tga.size() / 2), "truncated TGA ("},
        {"half_rle_tga.tga", first(tga_rle, tga_rle.size() / 2), "truncated TGA ("},
        {"cut_gif.gif", first(gif, gif.size() - 3), "truncated GIF ("},
        {"no_end_png.png", first(png, png.size() - 12), "truncated PNG (it ends before its IEND chunk)"},
        {"flipped_png.png", png_flipped, "corrupt PNG (its IDAT chunk at byte "},
        {"scan_jpeg.jpg", with_corrupt_scan(jpeg), "corrupt JPEG (Corrupt JPEG data"},
    };
    for (const damaged& f : files) write_bytes(in / f.name, f.content);
    const char* good[] = {"good_png.png", "good_jpeg.jpg", "good_gif.gif"};
    write_bytes(in / good[0], png);
    write_bytes(in / good[1], jpeg);
    write_bytes(in / good[2], gif);

    // To PNG every file is decoded; to PDF a JPEG whose size allows it is turned without decoding first.
    for (const char* format : {"png", "pdf"}) {
        INFO(format);
        const fs::path to = out / format;
        // --dpi 10: the 1x1 GIF makes a page of 7.2 points (a PDF page has at least 3).
        const run_result r = run_tool({in.string(), "-o", to.string(), "--format", format, "--dpi", "10", "--workers", "2"});
        INFO(r.err);
        CHECK(r.status == 1);
        for (const damaged& f : files) {
            INFO(f.name);
            CHECK(count_of(r.err, "parmap-rotate: " + (in / f.name).string() + ": " + f.says) == 1);
            CHECK_FALSE(fs::exists(to / (fs::path(f.name).stem().string() + "_flipped." + format)));
        }
        CHECK(count_of(r.err, "parmap-rotate: ") == files.size());
        for (const char* name : good) CHECK(fs::exists(to / (fs::path(name).stem().string() + "_flipped." + format)));
        CHECK(files_containing(dir.path(), parmap_examples::temp_marker).empty());
    }
}

TEST_CASE("Valid files of layouts the decoders lack are called unsupported, with the reason", "[rotate][safety]") {
    scratch_dir dir;
    // 4:1:0 JPEG: a 4:2:0 file whose luma sampling factors say 4x2 (as cjpeg -sample 4x2 writes).
    bytes jpeg = jpeg_with(smooth(64, 48, 3), TJSAMP_420, 90);
    const std::size_t sof = find(jpeg, "\xff\xc0");
    REQUIRE(jpeg[sof + 11] == 0x22);  // component 1 (Y): 2x2
    jpeg[sof + 11] = 0x42;
    write_bytes(dir / "sampled_410.jpg", jpeg);
    // 8-bit run-length BMP: file header, 40-byte info header (compression 1: RLE8), 256 palette entries,
    // then the runs: 4 pixels of colour 1, end of line, end of bitmap.
    bytes bmp{'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 54, 4, 0, 0, 40, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 1, 0, 8, 0, 1, 0, 0, 0};
    bmp.resize(54 + 1024, 0);
    bmp.insert(bmp.end(), {4, 1, 0, 0, 0, 1});
    bmp[2] = static_cast<std::uint8_t>(bmp.size());
    bmp[3] = static_cast<std::uint8_t>(bmp.size() >> 8);
    write_bytes(dir / "runs.bmp", bmp);
    const run_result r = run_tool({dir.path().string(), "--format", "png"});
    INFO(r.err);
    CHECK(r.status == 1);
    CHECK(count_of(r.err, (dir / "sampled_410.jpg").string() + ": unsupported JPEG: its chroma subsampling") == 1);
    CHECK(count_of(r.err, (dir / "runs.bmp").string() + ": unsupported BMP: run-length compressed (RLE8)") == 1);
}
