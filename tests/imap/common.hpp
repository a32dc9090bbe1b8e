// parmap imap tests: what every test file shares. Tests run on serial and threads (TEMPLATE_LIST_TEST_CASE
// over imap_tests::backends); expected values always come from plain loops written in the tests. Code that
// runs inside f only records what it sees; assertions run on the consuming thread.
#pragma once

#include "../conformance/common.hpp"  // counted<>, test_error, mismatch(), CONFORMANCE_WORKERS()

#include <istream>
#include <iterator>
#include <memory>
#include <sstream>

namespace imap_tests {

using conformance::serial_case;
using conformance::threads_case;
/// Index 0: serial, 1: threads (the suffix of each test's name).
using backends = std::tuple<serial_case, threads_case>;

/// Chunkings every grid runs: automatic (adaptive grabs), one element per grab, and sizes that divide nothing.
inline std::vector<parmap::chunks::chunking> chunkings() {
    namespace c = parmap::chunks;
    return {c::automatic(), c::dynamic(1), c::dynamic(7), c::static_(3)};
}

#define IMAP_CHUNKING() GENERATE(from_range(::imap_tests::chunkings()))
/// Buffer sizes: 0 is the default.
#define IMAP_BUFFER() GENERATE(as<std::size_t>{}, 0, 1, 2, 7, 64)
#define IMAP_INFO(workers, chunking, buffer)                                                                     \
    INFO("backend=" << TestType::name << " workers=" << (workers) << " chunking=" << ::conformance::describe(chunking) \
                    << " buffer=" << (buffer))

template <class Case>
auto make_policy(std::size_t workers, parmap::chunks::chunking chunking, std::size_t buffer) {
    return Case::policy().workers(workers).chunk(chunking).buffer(buffer);
}

/// A single-pass input of n numbers (generator::unbounded: no end) that counts how many it has produced
/// and throws test_error(i) when asked to produce element `throw_at`. Its iterator defines no
/// iterator_traits types on purpose: a user's generator need not.
class generator {
public:
    static constexpr std::size_t unbounded = ~std::size_t{0};
    explicit generator(std::size_t n, std::size_t throw_at = unbounded) : n_(n), throw_at_(throw_at) {}

    struct sentinel {};
    class iterator {
    public:
        explicit iterator(generator& g) : g_(&g) { produce(); }
        long operator*() const { return value_; }
        iterator& operator++() {
            produce();
            return *this;
        }
        friend bool operator!=(const iterator& it, sentinel) { return !it.ended_; }

    private:
        void produce() {
            if (position_ == g_->n_) {
                ended_ = true;
                return;
            }
            if (position_ == g_->throw_at_) throw conformance::test_error(position_);
            value_ = value_at(position_++);
            g_->produced_->fetch_add(1);
        }
        generator* g_;
        std::size_t position_ = 0;
        long value_ = 0;
        bool ended_ = false;
    };

    iterator begin() { return iterator(*this); }
    sentinel end() const { return {}; }
    /// Elements produced so far (read by the consumer while the stream runs).
    std::size_t produced() const { return produced_->load(); }
    static long value_at(std::size_t i) { return static_cast<long>(i * 3 + 1); }

private:
    std::size_t n_;
    std::size_t throw_at_;
    std::shared_ptr<std::atomic<std::size_t>> produced_ = std::make_shared<std::atomic<std::size_t>>(0);  // movable
};

/// A value that stands for real work: deterministic, cheap, different for every input.
inline long work(long x) { return x * x - 7 * x + 3; }

/// The results of imap(policy, input, f) collected in a vector.
template <class Stream>
auto collect(Stream&& stream) {
    std::vector<std::decay_t<decltype(*stream.begin())>> out;
    for (auto&& y : stream) out.push_back(std::move(y));
    return out;
}

} // namespace imap_tests
