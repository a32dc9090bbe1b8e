// parmap-imap-rss: the peak memory (getrusage's ru_maxrss) of streaming n 8-byte elements through f.
//   parmap-imap-rss imap [n]   a single-pass input of n std::uint64_t through parmap::imap (default buffer)
//   parmap-imap-rss map [n]    the same elements read into a std::vector first (parallel_map needs a
//                              forward range), then parallel_map: input and output held whole
// n defaults to 1e8 (map then needs about 1.6 GB). Prints the checksum, the time and the peak RSS in MB.
#include <parmap/parmap.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

/// n numbers, produced one at a time as a file reader would: nothing is stored.
class numbers {
public:
    explicit numbers(std::uint64_t n) : n_(n) {}
    struct sentinel {};
    class iterator {  // no iterator_traits types: imap needs only *, ++ and != end
    public:
        explicit iterator(std::uint64_t n) : n_(n) {}
        const std::uint64_t& operator*() const { return value_; }
        iterator& operator++() {
            ++value_;
            return *this;
        }
        friend bool operator!=(const iterator& it, sentinel) { return it.value_ != it.n_; }

    private:
        std::uint64_t value_ = 0, n_;
    };
    iterator begin() const { return iterator(n_); }
    sentinel end() const { return {}; }

private:
    std::uint64_t n_;
};

std::uint64_t f(std::uint64_t x) { return x * 2654435761u + 1; }

double peak_rss_mb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kilobytes on Linux
}

} // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    const std::uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 100000000u;
    if (mode != "imap" && mode != "map") {
        std::fprintf(stderr, "usage: parmap-imap-rss imap|map [n]\n");
        return 2;
    }
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t sum = 0;
    if (mode == "imap") {
        for (std::uint64_t y : parmap::imap(parmap::threads, numbers(n), f)) sum += y;
    } else {
        std::vector<std::uint64_t> xs;
        xs.reserve(n);
        for (std::uint64_t x : numbers(n)) xs.push_back(x);
        for (std::uint64_t y : parmap::parallel_map(parmap::threads, xs, f)) sum += y;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("%s n=%llu checksum=%llu time=%.2f s peak_rss=%.1f MB\n", mode.c_str(), static_cast<unsigned long long>(n),
                static_cast<unsigned long long>(sum), seconds, peak_rss_mb());
    return 0;
}
