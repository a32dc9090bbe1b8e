// Helpers for the parmap-rotate tests; see tool.hpp.
#include "tool.hpp"

#include "files.hpp"

#include <catch2/catch.hpp>
#include <stb/stb_image.h>
#include <turbojpeg.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <grp.h>
#include <memory>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace rotate_test {

scratch_dir::scratch_dir() {
    std::string pattern = (fs::temp_directory_path() / "parmap-rotate-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
}

scratch_dir::~scratch_dir() {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(path_, ec))  // chmod 000 files must go too
        fs::permissions(entry.path(), fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
}

pid_t start_program(const std::string& program, const std::vector<std::string>& args, const fs::path& dir, bool unprivileged) {
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    const std::string out = (dir / "stdout.txt").string(), err = (dir / "stderr.txt").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
        const int in_fd = ::open("/dev/null", O_RDONLY);
        const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (in_fd < 0 || out_fd < 0 || err_fd < 0) ::_exit(126);
        ::dup2(in_fd, 0);
        ::dup2(out_fd, 1);
        ::dup2(err_fd, 2);
        const gid_t nobody = 65534;
        if (unprivileged && ::geteuid() == 0 && (::setgroups(0, nullptr) != 0 || ::setgid(nobody) != 0 || ::setuid(nobody) != 0))
            ::_exit(126);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    REQUIRE(pid > 0);
    return pid;
}

pid_t start_tool(const std::vector<std::string>& args, const fs::path& dir) { return start_program(PARMAP_ROTATE_TOOL, args, dir); }

namespace {
std::string text_of(const fs::path& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}
} // namespace

run_result finish_tool(pid_t pid, const fs::path& dir) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    run_result r;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    r.out = text_of(dir / "stdout.txt");
    r.err = text_of(dir / "stderr.txt");
    return r;
}

run_result run_tool(const std::vector<std::string>& args) { return run_program(PARMAP_ROTATE_TOOL, args); }

run_result run_program(const std::string& program, const std::vector<std::string>& args, bool unprivileged) {
    scratch_dir logs;
    return finish_tool(start_program(program, args, logs.path(), unprivileged), logs.path());
}

rotate::image asymmetric(int width, int height, int channels, int bits) {
    rotate::image img;
    img.width = width;
    img.height = height;
    img.channels = channels;
    img.bits = bits;
    img.pixels.resize(img.row_bytes() * static_cast<std::size_t>(height));
    auto* wide = reinterpret_cast<std::uint16_t*>(img.pixels.data());
    std::size_t i = 0;
    for (unsigned y = 0; y < static_cast<unsigned>(height); ++y)
        for (unsigned x = 0; x < static_cast<unsigned>(width); ++x)
            for (unsigned c = 0; c < static_cast<unsigned>(channels); ++c, ++i) {
                if (bits == 16) wide[i] = static_cast<std::uint16_t>(x * 1031u + y * 7919u + c * 21011u + x * y * 13u);
                else img.pixels[i] = static_cast<std::uint8_t>(x * 5u + y * 31u + c * 67u + x * y);
            }
    return img;
}

rotate::image smooth(int width, int height, int channels) {
    rotate::image img;
    img.width = width;
    img.height = height;
    img.channels = channels;
    img.pixels.resize(img.row_bytes() * static_cast<std::size_t>(height));
    std::size_t i = 0;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const bool block = x < width / 5 && y < height / 5;  // marks the top-left corner
            const int r = block ? 255 : 40 + 180 * x / (width - 1), g = block ? 255 : 30 + 150 * y / (height - 1), b = block ? 255 : 90;
            if (channels == 1) img.pixels[i++] = static_cast<std::uint8_t>((r + g) / 2);
            else for (int v : {r, g, b}) img.pixels[i++] = static_cast<std::uint8_t>(v);
        }
    return img;
}

std::vector<std::uint8_t> jpeg_with(const rotate::image& img, int subsampling, int quality, int flags) {
    tjhandle h = tjInitCompress();
    REQUIRE(h != nullptr);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    const int status = tjCompress2(h, img.pixels.data(), img.width, 0, img.height, img.channels == 1 ? TJPF_GRAY : TJPF_RGB, &buffer,
                                   &size, subsampling, quality, flags);
    std::vector<std::uint8_t> out(buffer, buffer + (status == 0 ? size : 0));
    tjFree(buffer);
    tjDestroy(h);
    REQUIRE(status == 0);
    return out;
}

std::vector<std::uint8_t> tiny_gif() {
    return {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0xff, 0xff, 0xff, 0, 0, 0, '!', 0xf9, 4, 1,
            0, 0, 0, 0, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 'D', 1, 0, ';'};
}

rotate::image expected_rotation(const rotate::image& in, int degrees) {
    rotate::image out = in;
    const std::size_t w = static_cast<std::size_t>(in.width), h = static_cast<std::size_t>(in.height), p = in.pixel_bytes();
    if (degrees != 180) std::swap(out.width, out.height);
    const std::size_t ow = static_cast<std::size_t>(out.width);
    for (std::size_t y = 0; y < h; ++y)
        for (std::size_t x = 0; x < w; ++x) {
            std::size_t tx = w - 1 - x, ty = h - 1 - y;  // 180
            if (degrees == 90) tx = h - 1 - y, ty = x;
            if (degrees == 270) tx = y, ty = w - 1 - x;
            std::copy_n(&in.pixels[(y * w + x) * p], p, &out.pixels[(ty * ow + tx) * p]);
        }
    return out;
}

difference compare(const rotate::image& a, const rotate::image& b) {
    REQUIRE(a.width == b.width);
    REQUIRE(a.height == b.height);
    REQUIRE(a.pixels.size() == b.pixels.size());
    difference d;
    double sum = 0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) {
        const int delta = std::abs(int{a.pixels[i]} - int{b.pixels[i]});
        sum += delta;
        d.max = std::max(d.max, delta);
    }
    d.mean = a.pixels.empty() ? 0 : sum / static_cast<double>(a.pixels.size());
    return d;
}

std::vector<std::uint8_t> read_bytes(const fs::path& path) { return parmap_examples::read_input(path.string()); }

void write_bytes(const fs::path& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
}

rotate::image decode_file(const fs::path& path) {
    const std::vector<std::uint8_t> bytes = read_bytes(path);
    if (bytes.size() > 2 && bytes[0] == 'P' && (bytes[1] == '5' || bytes[1] == '6')) {  // PNM, from pdftoppm
        rotate::image img;
        int channels = 0;
        std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
            stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &img.width, &img.height, &channels, 0), stbi_image_free);
        REQUIRE(pixels);
        img.channels = channels;
        img.pixels.assign(pixels.get(), pixels.get() + img.row_bytes() * static_cast<std::size_t>(img.height));
        return img;
    }
    const bool tga = path.extension() == ".tga";
    return rotate::decode(bytes.data(), bytes.size(), rotate::sniff_format(bytes.data(), bytes.size(), tga), 1u << 30);
}

rotate::image render_pdf(const fs::path& pdf, int dpi, bool gray) {
    const fs::path prefix = pdf.parent_path() / (pdf.stem().string() + "-rendered");
    command_output("pdftoppm -r " + std::to_string(dpi) + (gray ? " -gray" : "") + " -singlefile '" + pdf.string() + "' '" +
                   prefix.string() + "'");
    fs::path page = prefix;
    page += ".ppm";
    if (!fs::exists(page)) page.replace_extension(".pgm");
    rotate::image img = decode_file(page);
    fs::remove(page);
    return img;
}

int pdf_pages(const fs::path& pdf) {
    const std::string info = command_output("pdfinfo '" + pdf.string() + "'");
    const std::size_t at = info.find("Pages:");
    REQUIRE(at != std::string::npos);
    return std::stoi(info.substr(at + 6));
}

std::string command_output(const std::string& command) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string out;
    std::array<char, 4096> buffer{};
    while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) out.append(buffer.data(), n);
    const int status = ::pclose(pipe.release());
    INFO(command << "\n" << out);
    REQUIRE(status == 0);
    return out;
}

std::vector<fs::path> files_containing(const fs::path& dir, const std::string& text) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec))
        if (entry.path().filename().string().find(text) != std::string::npos) found.push_back(entry.path());
    return found;
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
    std::size_t n = 0;
    for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
    return n;
}

} // namespace rotate_test
