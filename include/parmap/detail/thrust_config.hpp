// parmap::thrust's configuration: which Thrust device system a translation unit uses (CUDA under nvcc,
// OpenMP's or plain C++'s under a host compiler), the Thrust headers the backend needs, and the check
// that they are the CUDA toolkit's CCCL. Every parmap header that uses Thrust includes this one first.
#pragma once

// A host compiler has no CUDA device system: use OpenMP's when it is on, else plain C++.
#if !defined(__CUDACC__) && !defined(THRUST_DEVICE_SYSTEM)
#if defined(_OPENMP)
#define THRUST_DEVICE_SYSTEM THRUST_DEVICE_SYSTEM_OMP
#else
#define THRUST_DEVICE_SYSTEM THRUST_DEVICE_SYSTEM_CPP
#endif
#endif

#include <thrust/copy.h>
#include <thrust/device_free.h>
#include <thrust/device_malloc.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/host_vector.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/transform_iterator.h>
#include <thrust/iterator/zip_iterator.h>
#include <thrust/system/detail/bad_alloc.h>
#include <thrust/system_error.h>
#include <thrust/transform.h>
#include <thrust/version.h>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
#if !defined(__CUDACC__)
#error "parmap::thrust: Thrust's device system is CUDA but this compiler is not nvcc. Compile with nvcc, or let parmap pick OpenMP's system: include <parmap/thrust.hpp> before any Thrust header, or link parmap::thrust in CMake."
#endif
#include <cuda_runtime_api.h>
#include <thrust/system/cuda/execution_policy.h>
#define PARMAP_THRUST_CUDA 1
#else
#define PARMAP_THRUST_CUDA 0
#endif
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP && defined(_OPENMP)
#include <omp.h>
#endif


static_assert(THRUST_VERSION >= 200000,
              "Note to the user: parmap::thrust needs the Thrust of the CUDA toolkit's CCCL (2.0 or newer), but an older "
              "Thrust came first on the include path. In CMake link parmap::thrust; by hand, put the toolkit's "
              "include/cccl directory first (-isystem <cuda>/include/cccl).");
