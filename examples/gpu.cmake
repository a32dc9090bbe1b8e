# parmap-gpu: tip per mile and 3x3 determinants on every backend. Built everywhere; with parmap::thrust
# (the CUDA toolkit's CCCL found, cmake/thrust.cmake) it also runs parmap::thrust on Thrust's OpenMP system.
# parmap-gpu-cuda: the same source compiled by nvcc (where cmake/thrust.cmake enabled CUDA), whose thrust
# backend is the GPU; on a machine without one it says so in one line and exits 77.
parmap_example(parmap-gpu gpu.cpp)
if(TARGET parmap::thrust)
  target_link_libraries(parmap-gpu PRIVATE parmap::thrust)
  target_compile_definitions(parmap-gpu PRIVATE PARMAP_GPU_THRUST=1)
else()
  message(STATUS "parmap: parmap-gpu is built without its thrust backend: parmap::thrust is not defined (no CUDA toolkit)")
endif()

if(CMAKE_CUDA_COMPILER AND TARGET parmap::thrust)
  # A copy of gpu.cpp in the build tree, so each file keeps one language (as tests/thrust does). OpenMP is
  # passed to the host compiler too, so the CUDA build also offers the openmp backend.
  configure_file(gpu.cpp ${CMAKE_CURRENT_BINARY_DIR}/cuda/gpu.cu COPYONLY)
  add_executable(parmap-gpu-cuda ${CMAKE_CURRENT_BINARY_DIR}/cuda/gpu.cu)
  target_include_directories(parmap-gpu-cuda PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(parmap-gpu-cuda PRIVATE parmap::thrust CLI11::CLI11)
  target_compile_definitions(parmap-gpu-cuda PRIVATE PARMAP_GPU_THRUST=1)
  target_compile_options(parmap-gpu-cuda PRIVATE
    $<$<COMPILE_LANGUAGE:CUDA>:${PARMAP_CUDA_FLAGS} -Xcompiler=-fopenmp -Werror=all-warnings>)
endif()

if(NOT PARMAP_BUILD_TESTS)
  return()
endif()

# Small runs: the whole set takes a few seconds on 2 cores.
add_test(NAME example.gpu.default COMMAND parmap-gpu)
set_tests_properties(example.gpu.default PROPERTIES PASS_REGULAR_EXPRESSION "mean tip per mile: \\$0\\.[0-9]+.*determinants")
add_test(NAME example.gpu.agree COMMAND parmap-gpu --rides 123457 --matrices 4099 --seed 7 --repeats 1)
set_tests_properties(example.gpu.agree PROPERTIES PASS_REGULAR_EXPRESSION "backends agree bit for bit")
add_test(NAME example.gpu.json COMMAND parmap-gpu --json --rides 1e4 --matrices 1000 --seed 3 --repeats 1)
string(REPEAT ", [0-9]+" 9 nine_more_counts)  # CMake's regular expressions have no {9}
set_tests_properties(example.gpu.json PROPERTIES PASS_REGULAR_EXPRESSION
  "^{\"rides\": 10000, \"matrices\": 1000, \"seed\": 3, \"repeats\": 1, \"mean_tip_per_mile\": 0\\.[0-9]+, .*\"histogram\": \\[[0-9]+${nine_more_counts}\\], \"agree\": true, \"timings\": \\[{\"backend\": \"serial\", \"tip_per_mile_s\": [0-9.e-]+, .*}\n$")
add_test(NAME example.gpu.one_backend COMMAND parmap-gpu --backend threads --rides 1000 --matrices 10 --repeats 1)
set_tests_properties(example.gpu.one_backend PROPERTIES PASS_REGULAR_EXPRESSION "\nthreads .*2 backends agree bit for bit")
add_test(NAME example.gpu.help COMMAND parmap-gpu --help)
set_tests_properties(example.gpu.help PROPERTIES PASS_REGULAR_EXPRESSION
  "Exit status.*--rides.*--matrices.*--seed.*--backend.*--repeats.*--json")
if(TARGET parmap::thrust)  # the device-resident path, on Thrust's OpenMP system
  add_test(NAME example.gpu.thrust COMMAND parmap-gpu --backend thrust --rides 100003 --matrices 1001 --repeats 2)
  set_tests_properties(example.gpu.thrust PROPERTIES LABELS examples TIMEOUT 60 PASS_REGULAR_EXPRESSION
    "thrust on device_vectors, in place.*device-resident tip per mile \\(OpenMP system\\): [0-9.]+ GB/s.*2 backends agree bit for bit")
endif()
set_tests_properties(example.gpu.default example.gpu.agree example.gpu.json example.gpu.one_backend example.gpu.help
                     PROPERTIES LABELS examples TIMEOUT 60)
foreach(bad "--rides;0" "--rides;-5" "--rides;abc" "--rides;1.5" "--rides;1e19" "--matrices;0" "--seed;-1" "--seed;x"
            "--seed;18446744073709551616" "--backend;gpu" "--repeats;0" "--no-such-flag")
  string(REPLACE ";" "_" id "${bad}")
  # Exit status 2 and exactly one line on stderr.
  add_test(NAME example.gpu.bad${id}
           COMMAND sh -c "err=$(\"$0\" \"$@\" 2>&1 >/dev/null); s=$?; echo \"$err\"; test $s -eq 2 && test $(printf '%s\\n' \"$err\" | wc -l) -eq 1"
                   $<TARGET_FILE:parmap-gpu> ${bad})
  set_tests_properties(example.gpu.bad${id} PROPERTIES LABELS examples TIMEOUT 30)
endforeach()
# Counts follow parmap-pi's rule (examples/cli_numbers.hpp): digits or an exponent, 1e3 and 1e+3 alike.
add_test(NAME example.gpu.exponent_with_sign COMMAND parmap-gpu --rides 1e+3 --matrices 1E+2 --repeats 1 --backend serial)
set_tests_properties(example.gpu.exponent_with_sign PROPERTIES LABELS examples TIMEOUT 60)
parmap_out_of_memory_test(example.gpu.out_of_memory
  SAYS "parmap-gpu: out of memory: --rides 1000000000 with --matrices 10 needs about"
  COMMAND $<TARGET_FILE:parmap-gpu> --rides 1e9 --matrices 10 --repeats 1 --backend serial)
parmap_empty_value_tests(gpu parmap-gpu OPTIONS --rides --matrices --seed --backend --repeats ARGS --rides 1000 --matrices 10)

if(TARGET parmap-gpu-cuda)
  # Where there is no GPU (CI, this build machine): one clear line, exit status 77, and the CPU backends'
  # results all the same. Where there is one, the GPU rows and the device-resident figures.
  add_test(NAME example.gpu.cuda.no_device
           COMMAND sh -c "out=$(\"$0\" --rides 1e4 --matrices 100 --repeats 1 2>&1); s=$?; echo \"$out\"; if test $s -eq 0 && printf '%s\\n' \"$out\" | grep -q 'tip per mile (GPU):'; then exit 77; fi; test $s -eq 77 && printf '%s\\n' \"$out\" | grep -q '^parmap-gpu: parmap::thrust: no CUDA device: .*; the CPU backends still run (exit status 77)$' && printf '%s\\n' \"$out\" | grep -q 'backends agree bit for bit'"
                   $<TARGET_FILE:parmap-gpu-cuda>)
  add_test(NAME example.gpu.cuda.on_device COMMAND parmap-gpu-cuda --rides 1e6 --matrices 1e5)
  set_tests_properties(example.gpu.cuda.on_device PROPERTIES SKIP_RETURN_CODE 77 PASS_REGULAR_EXPRESSION
    "device-resident tip per mile \\(GPU\\): [0-9.]+ GB/s.*backends agree bit for bit")
  set_tests_properties(example.gpu.cuda.no_device PROPERTIES SKIP_RETURN_CODE 77)
  set_tests_properties(example.gpu.cuda.no_device example.gpu.cuda.on_device PROPERTIES LABELS "examples;cuda" TIMEOUT 120)
endif()
