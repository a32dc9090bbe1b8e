// The gzip pipeline; see gzip_scan.hpp. The inflating thread fills a bounded queue; this thread takes
// batches of blocks from it and parses each batch in parallel with the chosen backend while the next
// blocks are being inflated. Memory: the queue, one batch and the inflater's buffer, whatever the file.
#include "gzip_scan.hpp"

#include "backend.hpp"
#include "gzip_blocks.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace taxi {
namespace {

/// The inflating thread: runs gzip_blocks::run, keeps its block count or its exception, closes the queue.
struct inflater {
    gzip_blocks& source;
    block_queue& queue;
    std::size_t blocks = 0;
    std::exception_ptr failure;

    void operator()() {
        try {
            blocks = source.run(queue);
        } catch (...) {
            failure = std::current_exception();
        }
        queue.close();
    }
};

/// Parses batches from `queue` until it is drained; block i's statistics land in per_block[i].
void parse_batches(block_queue& queue, const layout& columns, const scan_options& options, std::size_t batch,
                   std::vector<block_stats>& per_block) {
    for (;;) {
        const std::vector<text_block> blocks = queue.pop(batch);
        if (blocks.empty()) return;
        const std::vector<block_stats> parsed = with_policy(options.backend, options.workers, [&](const auto& policy) {
            return parmap::parallel_map(policy, parmap::iota(blocks.size()), [&](std::size_t i) {
                const text_block& b = blocks[i];
                return parse_block(block_text{b.text.data(), b.text.size(), b.ends_in_long_line}, columns, options.plan.max_line);
            });
        });
        for (std::size_t i = 0; i < blocks.size(); ++i) {
            if (per_block.size() <= blocks[i].index) per_block.resize(blocks[i].index + 1);
            per_block[blocks[i].index] = parsed[i];
        }
    }
}

} // namespace

void scan_gzip(file_result& result, const scan_options& options) {
    gzip_blocks source(result.path, options.plan);
    result.kind = source.columns().kind;
    const std::size_t workers = options.workers != 0 ? options.workers : parmap::thread_pool::default_size();
    const std::size_t batch = 2 * workers;
    block_queue queue(2 * batch);
    inflater producer{source, queue, 0, nullptr};
    std::vector<block_stats> per_block;
    std::thread thread(std::ref(producer));
    try {
        parse_batches(queue, source.columns(), options, batch, per_block);
    } catch (...) {
        queue.close();
        thread.join();
        throw;
    }
    thread.join();
    if (producer.failure) std::rethrow_exception(producer.failure);
    per_block.resize(std::max(per_block.size(), producer.blocks));  // blocks that own no line are empty
    result.bytes = source.bytes();
    // The same combination as the uncompressed file's: parallel_map_reduce over the block indices.
    result.stats = with_policy(options.backend, options.workers, [&](const auto& policy) {
        return combine_blocks(policy, per_block.size(), [&per_block](std::size_t i) { return per_block[i]; });
    });
}

} // namespace taxi
