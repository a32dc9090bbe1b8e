// parmap::thrust: the same parallel_map, parallel_for and parallel_map_reduce through Thrust. Compiled by
// nvcc it runs on the GPU; compiled by g++ or clang it runs on Thrust's OpenMP system (its C++ system
// without OpenMP), so the same code is tested on any machine. Use the CCCL of the CUDA toolkit (CMake:
// link parmap::thrust), not an older Thrust from the system's include path.
//
//   #include <parmap/thrust.hpp>
//   auto per_mile = parmap::parallel_map(parmap::thrust, parmap::zip(tips, miles),
//                                        [] PARMAP_HD (float t, float m) { return t / m; });   // std::vector<float>
//   thrust::device_vector<float> d = ...;
//   auto on_gpu = parmap::parallel_map(parmap::thrust, d, square);                          // a device_vector
//
// Host ranges are copied to the device and the results copied back; thrust::device_vector inputs (alone
// or zipped) stay there and give a thrust::device_vector. Under nvcc, f and op must be callable on the
// device (PARMAP_HD, or a lambda marked so with --extended-lambda); the standard function objects
// (std::plus<>, std::divides<>, ...) work as they are. Device code cannot throw: on the GPU, f must not
// throw; on the CPU systems an exception from f reaches the caller as on every CPU backend. CUDA errors
// (no device, out of memory, a failed launch) throw parmap::device_error.
#pragma once

#include <parmap/backend/thrust.hpp>
#include <parmap/parallel_map.hpp>

namespace parmap {

/// @brief Runs through Thrust: on the GPU under nvcc, on Thrust's OpenMP (or C++) system elsewhere.
/// parallel_map returns a std::vector<R> for host inputs and a thrust::device_vector<R> when the input (or a
/// zipped range) is a thrust::device_vector; R must be trivially copyable. The iterator form copies host
/// iterators in and out and reads and writes device iterators (a device_vector's begin(), a device_ptr, a
/// thrust::zip_iterator, whose tuple f receives as separate arguments) where they are. parallel_for calls
/// f(i) on the device. parallel_map_reduce gives the serial backend's bits: the same blocks, each reduced
/// left to right on the device, combined on the host in the same pairwise tree; T must be trivially
/// copyable and op callable on the device (the standard function objects are).
/// Options: .workers(n) (OpenMP threads on the CPU system), .on(stream) (CUDA), .progress, .stop
/// (both checked between 16 launches instead of one). Chunk options are Thrust's business and are ignored.
inline const policy<thrust_backend> thrust{};

} // namespace parmap

#include <parmap/detail/thrust_configurations.hpp>  // parmap::thrust in parmap::verify's list of configurations
