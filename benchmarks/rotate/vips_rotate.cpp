// parmap-rotate's job done with libvips as a library, for compare.py: for each file, in an OpenMP loop (two
// threads in compare.py, each file on one thread: libvips' own threads would only split a small image),
// libvips loads the JPEG, rotates it 180 degrees and saves it as JPEG (quality 90, 4:2:0 like the inputs, no
// metadata): to a file (jpg), or to memory and into a one-page PDF with libharu as parmap-rotate and the bare
// loop make it (pdf; libvips cannot write PDF). Built by CMake where pkg-config finds libvips:
//   OMP_NUM_THREADS=2 build/benchmarks/rotate/parmap-rotate-vips pdf|jpg OUT_DIR FILE...
#include <hpdf.h>
#include <vips/vips.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

std::string output_name(const std::string& out_dir, const std::string& path, const char* extension) {
    std::string name = path.substr(path.rfind('/') + 1);
    return out_dir + "/" + name.substr(0, name.rfind('.')) + "_flipped." + extension;
}

// One file; false (with libvips' message printed) on failure.
bool rotate_file(const std::string& path, const std::string& out_dir, bool pdf) {
    VipsImage* in = vips_image_new_from_file(path.c_str(), nullptr);
    VipsImage* turned = nullptr;
    bool ok = in != nullptr && vips_rot(in, &turned, VIPS_ANGLE_D180, nullptr) == 0;
    if (ok && !pdf) {
        ok = vips_jpegsave(turned, output_name(out_dir, path, "jpg").c_str(), "Q", 90, "strip", TRUE, "subsample_mode",
                           VIPS_FOREIGN_SUBSAMPLE_ON, nullptr) == 0;
    } else if (ok) {
        void* jpeg = nullptr;
        std::size_t size = 0;
        ok = vips_jpegsave_buffer(turned, &jpeg, &size, "Q", 90, "strip", TRUE, "subsample_mode", VIPS_FOREIGN_SUBSAMPLE_ON,
                                  nullptr) == 0;
        if (ok) {
            const auto width = static_cast<HPDF_REAL>(vips_image_get_width(turned));
            const auto height = static_cast<HPDF_REAL>(vips_image_get_height(turned));
            HPDF_Doc doc = HPDF_New(nullptr, nullptr);
            HPDF_Image image = HPDF_LoadJpegImageFromMem(doc, static_cast<const HPDF_BYTE*>(jpeg), static_cast<HPDF_UINT>(size));
            HPDF_Page page = HPDF_AddPage(doc);
            HPDF_Page_SetWidth(page, width);
            HPDF_Page_SetHeight(page, height);
            HPDF_Page_DrawImage(page, image, 0, 0, width, height);
            ok = HPDF_SaveToFile(doc, output_name(out_dir, path, "pdf").c_str()) == HPDF_OK;
            HPDF_Free(doc);
        }
        g_free(jpeg);
    }
    if (turned != nullptr) g_object_unref(turned);
    if (in != nullptr) g_object_unref(in);
    if (!ok) std::fprintf(stderr, "vips_rotate: %s: %s\n", path.c_str(), vips_error_buffer());
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    if (VIPS_INIT(argv[0]) != 0) return 1;
    if (argc < 3 || (std::strcmp(argv[1], "pdf") != 0 && std::strcmp(argv[1], "jpg") != 0)) {
        std::fprintf(stderr, "usage: vips_rotate pdf|jpg OUT_DIR FILE...\n");
        return 2;
    }
    const bool pdf = std::strcmp(argv[1], "pdf") == 0;
    const std::string out_dir = argv[2];
    const std::vector<std::string> files(argv + 3, argv + argc);
    vips_concurrency_set(1);  // the files are the parallel work
    vips_cache_set_max(0);    // each file once: nothing to reuse
    int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : failed)
    for (long i = 0; i < static_cast<long>(files.size()); ++i) failed += rotate_file(files[static_cast<std::size_t>(i)], out_dir, pdf) ? 0 : 1;
    vips_shutdown();
    return failed == 0 ? 0 : 1;
}
