// The baseline parmap-rotate is measured against: the same work with nothing around it. For each file, in an
// OpenMP loop: read, TurboJPEG decode, rotate 180, TurboJPEG encode (quality 90, the input's subsampling),
// libharu one-page PDF, write. No checks, no temporary files, no error handling: a bad file may crash it.
//   OMP_NUM_THREADS=2 build/benchmarks/rotate/parmap-rotate-bare-loop OUT_DIR FILE...   (built by CMake with parmap-rotate)
#include <hpdf.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) return 2;
    const std::string out_dir = argv[1];
    const std::vector<std::string> files(argv + 2, argv + argc);
#pragma omp parallel
    {
        tjhandle decoder = tjInitDecompress(), encoder = tjInitCompress();
#pragma omp for schedule(dynamic, 1)
        for (long i = 0; i < static_cast<long>(files.size()); ++i) {
            const std::string& path = files[static_cast<std::size_t>(i)];
            std::FILE* f = std::fopen(path.c_str(), "rb");
            std::fseek(f, 0, SEEK_END);
            const long size = std::ftell(f);
            std::fseek(f, 0, SEEK_SET);
            std::vector<unsigned char> jpeg(static_cast<std::size_t>(size));
            const std::size_t got = std::fread(jpeg.data(), 1, jpeg.size(), f);
            std::fclose(f);
            int width = 0, height = 0, subsampling = 0, colorspace = 0;
            tjDecompressHeader3(decoder, jpeg.data(), got, &width, &height, &subsampling, &colorspace);
            const std::size_t pixels = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
            std::vector<unsigned char> rgb(pixels * 3), turned(pixels * 3);
            tjDecompress2(decoder, jpeg.data(), got, rgb.data(), width, 0, height, TJPF_RGB, 0);
            for (std::size_t p = 0; p < pixels; ++p) std::copy_n(&rgb[(pixels - 1 - p) * 3], 3, &turned[p * 3]);
            unsigned char* encoded = nullptr;
            unsigned long encoded_size = 0;
            tjCompress2(encoder, turned.data(), width, 0, height, TJPF_RGB, &encoded, &encoded_size, subsampling, 90, 0);
            HPDF_Doc pdf = HPDF_New(nullptr, nullptr);
            HPDF_Image image = HPDF_LoadJpegImageFromMem(pdf, encoded, static_cast<HPDF_UINT>(encoded_size));
            HPDF_Page page = HPDF_AddPage(pdf);
            HPDF_Page_SetWidth(page, static_cast<HPDF_REAL>(width));
            HPDF_Page_SetHeight(page, static_cast<HPDF_REAL>(height));
            HPDF_Page_DrawImage(page, image, 0, 0, static_cast<HPDF_REAL>(width), static_cast<HPDF_REAL>(height));
            std::string name = path.substr(path.rfind('/') + 1);
            name = out_dir + "/" + name.substr(0, name.rfind('.')) + "_flipped.pdf";
            HPDF_SaveToFile(pdf, name.c_str());
            HPDF_Free(pdf);
            tjFree(encoded);
        }
        tjDestroy(decoder);
        tjDestroy(encoder);
    }
    return 0;
}
