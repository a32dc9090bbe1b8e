// parmap-rotate's lossless path (JPEG to jpg or pdf without --quality; to pdf the file itself, turned by the
// page, or with --turn-pixels its turned coefficients): checked against references that do
// not use the tool's code. The quantised DCT coefficients of the output are the input's, each block moved,
// transposed and negated as the turn requires (read back with TurboJPEG's coefficient callback); the decoded
// pixels are the decoded input's rotation up to the decoder's rounding; the PDF embeds the same JPEG bytes;
// and sizes that are not whole MCUs are decoded and re-encoded, never cropped.
#include "tool.hpp"

#include <catch2/catch.hpp>
#include <turbojpeg.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace rotate_test;

namespace {

// One component's quantised DCT coefficients: blocks left to right, top to bottom, 64 each in natural order.
struct coefficient_plane {
    int width_blocks = 0;
    int height_blocks = 0;
    std::vector<short> values;
    const short* block(int bx, int by) const {
        return values.data() + (static_cast<std::size_t>(by) * static_cast<std::size_t>(width_blocks) + static_cast<std::size_t>(bx)) * 64;
    }
};

int collect_coefficients(short* coeffs, tjregion array, tjregion plane, int component, int, tjtransform* transform) {
    auto& planes = *static_cast<std::vector<coefficient_plane>*>(transform->data);
    if (planes.size() <= static_cast<std::size_t>(component)) planes.resize(static_cast<std::size_t>(component) + 1);
    coefficient_plane& p = planes[static_cast<std::size_t>(component)];
    p.width_blocks = plane.w / 8;
    p.height_blocks = plane.h / 8;
    p.values.resize(static_cast<std::size_t>(p.width_blocks) * static_cast<std::size_t>(p.height_blocks) * 64);
    const std::size_t offset = static_cast<std::size_t>(array.y / 8) * static_cast<std::size_t>(p.width_blocks) * 64;
    const std::size_t count = static_cast<std::size_t>(array.w / 8) * static_cast<std::size_t>(array.h / 8) * 64;
    std::copy(coeffs, coeffs + std::min(count, p.values.size() - offset), p.values.begin() + static_cast<std::ptrdiff_t>(offset));
    return 0;
}

// The coefficients as stored in the file: a transform that changes nothing, with a callback that copies them.
std::vector<coefficient_plane> coefficients_of(const std::vector<std::uint8_t>& jpeg) {
    std::vector<coefficient_plane> planes;
    tjtransform read{};
    read.op = TJXOP_NONE;
    read.data = &planes;
    read.customFilter = collect_coefficients;
    tjhandle h = tjInitTransform();
    unsigned char* out = nullptr;
    unsigned long size = 0;
    const int status = tjTransform(h, jpeg.data(), jpeg.size(), 1, &out, &size, &read, 0);
    tjFree(out);
    tjDestroy(h);
    REQUIRE(status == 0);
    return planes;
}

// The coefficient the block rotated clockwise by `degrees` has at (u, v) (u across, v down), from the
// original block: a flip negates the odd frequencies along it, a quarter turn also swaps u and v.
int turned_coefficient(const short* block, int u, int v, int degrees) {
    const int sign_u = u % 2 == 0 ? 1 : -1, sign_v = v % 2 == 0 ? 1 : -1;
    if (degrees == 180) return sign_u * sign_v * block[v * 8 + u];
    if (degrees == 90) return sign_u * block[u * 8 + v];  // out(x, y) = in(y, 7 - x)
    return sign_v * block[u * 8 + v];                     // 270: out(x, y) = in(7 - y, x)
}

// How many coefficients of `out` differ from `in` turned by `degrees`, block by block.
std::size_t coefficients_off(const std::vector<coefficient_plane>& in, const std::vector<coefficient_plane>& out, int degrees) {
    REQUIRE(in.size() == out.size());
    std::size_t off = 0;
    for (std::size_t c = 0; c < in.size(); ++c) {
        const coefficient_plane &a = in[c], &b = out[c];
        const bool quarter = degrees != 180;
        REQUIRE(b.width_blocks == (quarter ? a.height_blocks : a.width_blocks));
        REQUIRE(b.height_blocks == (quarter ? a.width_blocks : a.height_blocks));
        for (int by = 0; by < b.height_blocks; ++by)
            for (int bx = 0; bx < b.width_blocks; ++bx) {
                // Where the block came from, as pixels move: 90: (x, y) <- (y, H-1-x); 270: (W-1-y, x).
                const short* source = degrees == 180 ? a.block(a.width_blocks - 1 - bx, a.height_blocks - 1 - by)
                                      : degrees == 90 ? a.block(by, a.height_blocks - 1 - bx)
                                                      : a.block(a.width_blocks - 1 - by, bx);
                for (int v = 0; v < 8; ++v)
                    for (int u = 0; u < 8; ++u) off += b.block(bx, by)[v * 8 + u] != turned_coefficient(source, u, v, degrees) ? 1 : 0;
            }
    }
    return off;
}

struct jpeg_sample {
    std::string name;
    int subsampling;
    rotate::image image;
};

// Whole MCUs in both directions (48 and 64 are multiples of 16), one file per subsampling TurboJPEG writes.
std::vector<jpeg_sample> whole_mcu_samples() {
    return {{"s444", TJSAMP_444, asymmetric(64, 48, 3, 8)}, {"s422", TJSAMP_422, asymmetric(64, 48, 3, 8)},
            {"s420", TJSAMP_420, asymmetric(64, 48, 3, 8)}, {"s440", TJSAMP_440, asymmetric(64, 48, 3, 8)},
            {"gray", TJSAMP_GRAY, asymmetric(64, 48, 1, 8)}};
}

// The "lossless" value of the --json record whose output ends in `output_name`.
bool went_lossless(const run_result& r, const std::string& output_name) {
    const std::size_t at = r.out.find(output_name + "\"");
    REQUIRE(at != std::string::npos);
    const std::size_t end = r.out.find('\n', at);
    const std::string record = r.out.substr(at, end - at);
    REQUIRE(count_of(record, "\"lossless\":") == 1);
    return count_of(record, "\"lossless\":true") == 1;
}

} // namespace

TEST_CASE("A JPEG turned losslessly keeps every DCT coefficient, each block moved as the turn moves it", "[rotate][lossless]") {
    scratch_dir dir;
    const std::vector<jpeg_sample> samples = whole_mcu_samples();
    for (const jpeg_sample& s : samples) write_bytes(dir / (s.name + ".jpg"), jpeg_with(s.image, s.subsampling, 85));
    for (int angle : {90, 180, 270}) {
        const fs::path out = dir / ("out" + std::to_string(angle));
        const run_result r = run_tool({dir.path().string(), "-o", out.string(), "--format", "jpg", "--angle", std::to_string(angle), "--json"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        for (const jpeg_sample& s : samples) {
            INFO(s.name << " at " << angle);
            CHECK(went_lossless(r, s.name + "_flipped.jpg"));
            const auto in = coefficients_of(read_bytes(dir / (s.name + ".jpg")));
            const auto turned = coefficients_of(read_bytes(out / (s.name + "_flipped.jpg")));
            CHECK(coefficients_off(in, turned, angle) == 0);
            // The decoded pixels: the decoded input's rotation, but for the decoder's rounding (a turned block's
            // inverse DCT runs its two passes in the other order; chroma upsampling rounds left and right apart).
            const rotate::image got = decode_file(out / (s.name + "_flipped.jpg"));
            const rotate::image want = expected_rotation(decode_file(dir / (s.name + ".jpg")), angle);
            REQUIRE(got.width == want.width);
            REQUIRE(got.height == want.height);
            const difference d = compare(got, want);
            CHECK(d.max <= 3);
            CHECK(d.mean <= 0.5);
            // Without chroma subsampling a half turn is exact to the pixel: flips commute with the inverse DCT.
            if (s.subsampling == TJSAMP_444 && angle == 180) CHECK(got.pixels == want.pixels);
        }
    }
}

TEST_CASE("Lossless beats re-encoding, and --quality or --reencode choose re-encoding", "[rotate][lossless]") {
    scratch_dir dir;
    write_bytes(dir / "photo.jpg", jpeg_with(smooth(160, 96, 3), TJSAMP_420, 90));
    const rotate::image want = expected_rotation(decode_file(dir / "photo.jpg"), 90);
    double lossless_error = 0, reencoded_error = 0;
    for (const std::vector<std::string>& extra : {std::vector<std::string>{}, {"--quality", "90"}, {"--reencode"}}) {
        const fs::path out = dir / ("out" + std::to_string(extra.size()) + (extra.empty() ? "" : extra[0]));
        std::vector<std::string> args{(dir / "photo.jpg").string(), "-o", out.string(), "--format", "jpg", "--angle", "90", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        const run_result r = run_tool(args);
        INFO(r.err);
        REQUIRE(r.status == 0);
        CHECK(went_lossless(r, "photo_flipped.jpg") == extra.empty());
        const double error = compare(decode_file(out / "photo_flipped.jpg"), want).mean;
        (extra.empty() ? lossless_error : reencoded_error) = error;
    }
    INFO("mean error: lossless " << lossless_error << ", re-encoded at quality 90 " << reencoded_error);
    CHECK(lossless_error < reencoded_error);
    // PNG output always decodes: the lossless path is for JPEG and PDF outputs only.
    const run_result png = run_tool({(dir / "photo.jpg").string(), "-o", (dir / "png").string(), "--format", "png", "--json"});
    CHECK(png.status == 0);
    CHECK_FALSE(went_lossless(png, "photo_flipped.png"));
}

TEST_CASE("With --turn-pixels a lossless PDF embeds the turned JPEG itself and renders as the rotation", "[rotate][lossless][pdf]") {
    scratch_dir dir;
    const rotate::image rgb = smooth(160, 96, 3), gray = smooth(96, 64, 1);
    write_bytes(dir / "rgb.jpg", jpeg_with(rgb, TJSAMP_420, 92));
    write_bytes(dir / "gray.jpg", jpeg_with(gray, TJSAMP_GRAY, 92));
    write_bytes(dir / "progressive.jpg", jpeg_with(rgb, TJSAMP_444, 92, TJFLAG_PROGRESSIVE));
    for (int angle : {90, 180, 270}) {
        INFO("angle " << angle);
        const fs::path pdf = dir / ("pdf" + std::to_string(angle)), jpg = dir / ("jpg" + std::to_string(angle));
        const std::string a = std::to_string(angle);
        const run_result r = run_tool({dir.path().string(), "-o", pdf.string(), "--angle", a, "--json", "--turn-pixels"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        REQUIRE(run_tool({dir.path().string(), "-o", jpg.string(), "--angle", a, "--format", "jpg"}).status == 0);
        for (const char* name : {"rgb", "gray", "progressive"}) {
            INFO(name);
            const std::string stem = std::string(name) + "_flipped";
            CHECK(went_lossless(r, stem + ".pdf"));
            // pdfimages -j writes a DCTDecode image's stream as it is stored: the same bytes as the jpg output.
            const fs::path extracted = pdf / name;
            command_output("pdfimages -j '" + (pdf / (stem + ".pdf")).string() + "' '" + extracted.string() + "'");
            CHECK(read_bytes(extracted.string() + "-000.jpg") == read_bytes(jpg / (stem + ".jpg")));
            const rotate::image want = expected_rotation(decode_file(dir / (std::string(name) + ".jpg")), angle);
            const bool is_gray = std::string(name) == "gray";
            CHECK(compare(render_pdf(pdf / (stem + ".pdf"), 72, is_gray), want).mean <= 3.0);  // as pixels.cpp's PDF test
        }
    }
}

TEST_CASE("Sizes that are not whole MCUs are decoded and re-encoded, never cropped", "[rotate][lossless]") {
    scratch_dir dir;
    // 4:2:0 has 16x16 MCUs: 72 is not a multiple of 16, 48 is. 90 needs whole rows (48: lossless), 270 whole
    // columns (72: not), 180 both (not).
    const rotate::image photo = smooth(72, 48, 3);
    write_bytes(dir / "odd.jpg", jpeg_with(photo, TJSAMP_420, 95));
    for (const auto& [angle, lossless] : {std::pair<int, bool>{90, true}, {180, false}, {270, false}}) {
        INFO("angle " << angle);
        const fs::path out = dir / ("out" + std::to_string(angle));
        for (const char* format : {"jpg", "pdf"}) {
            const run_result r = run_tool({(dir / "odd.jpg").string(), "-o", out.string(), "--angle", std::to_string(angle), "--format",
                                           format, "--json", "--turn-pixels"});
            INFO(r.err);
            REQUIRE(r.status == 0);
            CHECK(went_lossless(r, std::string("odd_flipped.") + format) == lossless);
        }
        const rotate::image want = expected_rotation(decode_file(dir / "odd.jpg"), angle);
        const rotate::image got = decode_file(out / "odd_flipped.jpg");
        REQUIRE(got.width == want.width);  // every pixel kept: nothing trimmed to whole MCUs
        REQUIRE(got.height == want.height);
        CHECK(compare(got, want).mean <= 2.0);
        CHECK(compare(render_pdf(out / "odd_flipped.pdf", 72), want).mean <= 3.0);
    }
}

TEST_CASE("A PDF from a JPEG embeds the file as it is, turned by the page, for any size", "[rotate][lossless][pdf]") {
    scratch_dir dir;
    // 72x48 4:2:0 cannot be turned losslessly by 180 or 270 degrees; the page turns it all the same.
    write_bytes(dir / "odd.jpg", jpeg_with(smooth(72, 48, 3), TJSAMP_420, 92));
    write_bytes(dir / "gray.jpg", jpeg_with(smooth(96, 64, 1), TJSAMP_GRAY, 92));
    write_bytes(dir / "progressive.jpg", jpeg_with(smooth(160, 96, 3), TJSAMP_444, 92, TJFLAG_PROGRESSIVE));
    for (int angle : {90, 180, 270}) {
        INFO("angle " << angle);
        const fs::path pdf = dir / ("pdf" + std::to_string(angle));
        const run_result r = run_tool({dir.path().string(), "-o", pdf.string(), "--angle", std::to_string(angle), "--json"});
        INFO(r.err);
        REQUIRE(r.status == 0);
        for (const char* name : {"odd", "gray", "progressive"}) {
            INFO(name);
            const std::string stem = std::string(name) + "_flipped";
            CHECK(went_lossless(r, stem + ".pdf"));
            // pdfimages -j writes the DCTDecode stream as stored: the input file itself.
            command_output("pdfimages -j '" + (pdf / (stem + ".pdf")).string() + "' '" + (pdf / name).string() + "'");
            CHECK(read_bytes((pdf / name).string() + "-000.jpg") == read_bytes(dir / (std::string(name) + ".jpg")));
            const rotate::image want = expected_rotation(decode_file(dir / (std::string(name) + ".jpg")), angle);
            const rotate::image got = render_pdf(pdf / (stem + ".pdf"), 72, std::string(name) == "gray");
            REQUIRE(got.width == want.width);
            REQUIRE(got.height == want.height);
            CHECK(compare(got, want).mean <= 3.0);
        }
    }
}
