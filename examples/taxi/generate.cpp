// parmap-taxi generate; see generate.hpp.
#include "generate.hpp"

#include "backend.hpp"
#include "files.hpp"
#include "synthetic.hpp"

#include <algorithm>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdexcept>
#include <vector>

namespace taxi {
namespace {

/// Row block `block` of the file as text (every line ended, CRLF with quirks).
std::string make_block(const generate_options& o, std::uint64_t block) {
    const std::uint64_t first = block * rows_per_block;
    const std::uint64_t last = std::min(o.rows, first + rows_per_block);
    std::string text;
    text.reserve(static_cast<std::size_t>(last - first) * 240);
    for (std::uint64_t row = first; row < last; ++row) append_row(text, o.kind, make_trip(o.kind, o.seed, row, o.quirks), o.quirks);
    return text;
}

/// Header (and, with quirks, the blank line the 2017 yellow files have after it).
std::string header_text(const generate_options& o) {
    std::string text = header_of(o.kind);
    text += o.quirks ? "\r\n\r\n" : "\n";
    return text;
}

/// Writes the header and every row block to `out`; returns the bytes written.
std::uint64_t write_rows(parmap_examples::file_writer& out, const generate_options& o, const std::string& policy_name,
                         std::size_t workers) {
    const std::string header = header_text(o);
    out.write(header);
    std::uint64_t bytes = header.size();
    const std::uint64_t blocks = (o.rows + rows_per_block - 1) / rows_per_block;
    const std::uint64_t batch = 32;  // blocks made at once: about 30 MB
    for (std::uint64_t first = 0; first < blocks; first += batch) {
        const std::uint64_t count = std::min(batch, blocks - first);
        std::vector<std::string> texts = with_cpu_policy(policy_name, workers, [&](const auto& policy) {
            return parmap::parallel_map(policy, parmap::iota(static_cast<std::size_t>(count)),
                                        [&](std::size_t i) { return make_block(o, first + i); });
        });
        if (o.quirks && first + count == blocks) {  // real files may end without a final line end
            std::string& tail = texts.back();
            tail.resize(tail.size() - 2);
        }
        for (const std::string& text : texts) out.write(text), bytes += text.size();
    }
    return bytes;
}

} // namespace

std::uint64_t generate(const generate_options& o, const std::string& policy_name, std::size_t workers) {
#if defined(__GLIBC__)
    // Each batch allocates ~30 MB of block texts and frees them: keep those pages in the heap instead of
    // glibc's default of mapping and unmapping every 1 MB block (page faults were a quarter of the time).
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
#endif
    // Written whole or not at all, through the examples' shared writer (examples/common/files.hpp).
    try {
        parmap_examples::remember_umask();
        parmap_examples::file_writer out(o.output, /*overwrite=*/true);
        const std::uint64_t bytes = write_rows(out, o, policy_name, workers);
        out.commit();
        return bytes;
    } catch (const parmap_examples::file_error& e) {
        throw std::runtime_error(o.output + ": cannot write: " + e.what());
    }
}

} // namespace taxi
