# parmap::thrust: parmap::openmp plus Thrust from the CUDA toolkit's CCCL. C++ sources run Thrust on its
# OpenMP device system (so the backend is built and tested on any machine); .cu sources compiled by nvcc
# run it on the GPU. Found through the toolkit (nvcc on PATH, CUDAToolkit_ROOT or the usual install
# place), never through a bare include path that could pick an older Thrust from the system.
#
# PARMAP_CUDA (this project's own tests, examples and benchmarks): also build their CUDA versions when
# nvcc works. CMAKE_CUDA_ARCHITECTURES defaults to 80;90 (never "native": build machines have no GPU).
find_package(CUDAToolkit QUIET)
set(parmap_cccl_hints "")
if(CUDAToolkit_BIN_DIR)
  get_filename_component(parmap_cuda_root "${CUDAToolkit_BIN_DIR}" DIRECTORY)
  list(APPEND parmap_cccl_hints "${parmap_cuda_root}")
endif()
find_package(CCCL CONFIG QUIET HINTS ${parmap_cccl_hints})

if(CCCL_FOUND AND CCCL_VERSION VERSION_LESS 2.0)
  message(STATUS "parmap: CCCL ${CCCL_VERSION} is older than 2.0: parmap::thrust is not defined")
elseif(CCCL_FOUND AND TARGET Thrust::Thrust AND TARGET parmap_openmp)
  add_library(parmap_thrust INTERFACE)
  add_library(parmap::thrust ALIAS parmap_thrust)
  set_target_properties(parmap_thrust PROPERTIES EXPORT_NAME thrust)
  # Thrust's CMake target is not importable, so an installed parmap::thrust gets it from the package
  # config, which finds the consumer's own toolkit (cmake/parmapConfig.cmake.in).
  target_link_libraries(parmap_thrust INTERFACE parmap_openmp $<BUILD_INTERFACE:Thrust::Thrust>)
  target_compile_definitions(parmap_thrust INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:THRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP>)
  message(STATUS "parmap: parmap::thrust uses CCCL ${CCCL_VERSION} (${CCCL_DIR})")
else()
  message(STATUS "parmap: no CUDA toolkit CCCL found (set CUDAToolkit_ROOT or CMAKE_PREFIX_PATH to the toolkit): "
                 "parmap::thrust is not defined")
endif()

if(PARMAP_BUILD_TESTS OR PARMAP_BUILD_EXAMPLES OR PARMAP_BUILD_BENCHMARKS)
  option(PARMAP_CUDA "Also build the CUDA versions of parmap's tests and examples when nvcc is found" ON)
  if(PARMAP_CUDA AND TARGET parmap_thrust)
    include(CheckLanguage)
    check_language(CUDA)
    if(CMAKE_CUDA_COMPILER)
      if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
        set(CMAKE_CUDA_ARCHITECTURES 80 90)
      endif()
      enable_language(CUDA)
      set(CMAKE_CUDA_STANDARD 17)
      set(CMAKE_CUDA_STANDARD_REQUIRED ON)
      set(PARMAP_CUDA_FLAGS --extended-lambda)
      message(STATUS "parmap: CUDA tests and examples are built for architectures ${CMAKE_CUDA_ARCHITECTURES}")
    endif()
  endif()
endif()
