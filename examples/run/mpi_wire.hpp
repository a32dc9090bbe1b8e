// parmap-run's messages between MPI ranks, as byte strings: numbers in the machine's layout (every rank runs
// the same binary), strings with their length first.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>

namespace parmap_run {

enum message_tag : int {
    tag_request = 1, tag_line = 2, tag_attempt = 3, tag_end = 4, tag_done = 5, tag_failed = 6,
    tag_signal = 7,  ///< a rank to rank 0: I received this stop signal
    tag_stop = 8,    ///< rank 0 to a rank: a stop_order
};

struct wire_writer {
    std::string bytes;
    template <class T> void put(T value) {
        static_assert(std::is_trivially_copyable_v<T>, "numbers only");
        bytes.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    void put_string(const std::string& text) {
        put<std::uint64_t>(text.size());
        bytes += text;
    }
};

struct wire_reader {
    const std::string& bytes;
    std::size_t at = 0;
    template <class T> T get() {
        T value{};
        if (at + sizeof value <= bytes.size()) std::memcpy(&value, bytes.data() + at, sizeof value);
        at += sizeof value;
        return value;
    }
    std::string get_string() {
        const std::uint64_t size = get<std::uint64_t>();
        std::string text = at < bytes.size() ? bytes.substr(at, static_cast<std::size_t>(size)) : std::string();
        at += static_cast<std::size_t>(size);
        return text;
    }
};

} // namespace parmap_run
