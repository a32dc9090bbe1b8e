// parmap-rotate's TurboJPEG handles, one per thread and kind (decompress, compress, transform): shared by
// image.cpp (decoding, encoding) and lossless.cpp (lossless turns). Internal to parmap-rotate's sources.
#pragma once

#include "image.hpp"

#include <turbojpeg.h>

#include <string>

namespace rotate {

/// @brief A thread's TurboJPEG handle, created on first use: creating one costs more than decoding a small
/// photo. A handle is replaced after any failure: libjpeg-turbo 2.1 can leave it unusable after a fatal error.
class tj_handle {
public:
    explicit tj_handle(tjhandle (*create)()) : create_(create) {}
    ~tj_handle() { reset(); }
    tj_handle(const tj_handle&) = delete;
    tj_handle& operator=(const tj_handle&) = delete;

    tjhandle get() {
        if (handle_ == nullptr) handle_ = create_();
        if (handle_ == nullptr) throw image_error("cannot start TurboJPEG (out of memory?)");
        return handle_;
    }
    /// @brief The handle's last error message, then a fresh handle for the next image.
    std::string failure() {
        std::string reason = tjGetErrorStr2(handle_);
        reset();
        return reason;
    }
    void reset() {
        if (handle_ != nullptr) tjDestroy(handle_);
        handle_ = nullptr;
    }

private:
    tjhandle (*create_)();
    tjhandle handle_ = nullptr;
};

inline tj_handle& decompressor() {
    thread_local tj_handle h(tjInitDecompress);
    return h;
}

inline tj_handle& compressor() {
    thread_local tj_handle h(tjInitCompress);
    return h;
}

inline tj_handle& transformer() {
    thread_local tj_handle h(tjInitTransform);
    return h;
}

} // namespace rotate
