// The one translation unit that compiles stb_image and stb_image_write (header-only C libraries).
// Only the formats the examples read through stb are compiled in; the pixel limit is checked by the
// callers from the header before decoding (decode() in image.cpp), and stb's own dimension cap backs it up.
// Not JPEG: TurboJPEG decodes those, and stb's JPEG parser reads out of bounds on some corrupt Huffman
// tables (found by scripts/fuzz: tests/fuzz/regressions/crash-2adbc662..., a .tga whose bytes start
// like a JPEG, which stb's content sniffing handed to its JPEG decoder).
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_GIF
#define STBI_ONLY_PNM
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
