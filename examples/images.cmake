# parmap-mandelbrot and parmap-rotate: the examples that read and write images. Included from
# examples/CMakeLists.txt. Each needs Debian packages (scripts/lib/deps.sh installs them); when one is
# missing, that example is skipped with a message instead of failing the configure.
#   libstb-dev          stb_image, stb_image_write (both examples)
#   libturbojpeg0-dev   TurboJPEG (parmap-rotate)
#   libhpdf-dev         libharu, for PDF (parmap-rotate)

find_path(PARMAP_STB_INCLUDE_DIR stb/stb_image.h)
find_path(PARMAP_TURBOJPEG_INCLUDE_DIR turbojpeg.h)
find_library(PARMAP_TURBOJPEG_LIBRARY turbojpeg)
find_path(PARMAP_HPDF_INCLUDE_DIR hpdf.h)
find_library(PARMAP_HPDF_LIBRARY hpdf)

if(NOT PARMAP_STB_INCLUDE_DIR)
  message(STATUS "parmap: skipping parmap-mandelbrot and parmap-rotate: stb headers not found (Debian: libstb-dev)")
  return()
endif()

# stb's implementation, compiled once, without our warning flags (third-party code).
add_library(parmap_example_stb STATIC rotate/stb_impl.cpp)
target_include_directories(parmap_example_stb SYSTEM PUBLIC ${PARMAP_STB_INCLUDE_DIR})
set_target_properties(parmap_example_stb PROPERTIES POSITION_INDEPENDENT_CODE ON)

# Reading inputs and writing outputs all or nothing (temporary name, then rename): parmap-rotate's, also
# used by parmap-mandelbrot, so it needs none of parmap-rotate's libraries.
add_library(parmap_example_files STATIC rotate/files.cpp)
target_include_directories(parmap_example_files PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/rotate)
target_compile_features(parmap_example_files PUBLIC cxx_std_17)
target_compile_options(parmap_example_files PRIVATE ${PARMAP_WARNINGS})

parmap_example(parmap-mandelbrot mandelbrot.cpp)
target_link_libraries(parmap-mandelbrot PRIVATE parmap_example_stb parmap_example_files)

set(missing "")
if(NOT PARMAP_TURBOJPEG_INCLUDE_DIR OR NOT PARMAP_TURBOJPEG_LIBRARY)
  list(APPEND missing "TurboJPEG (Debian: libturbojpeg0-dev)")
endif()
if(NOT PARMAP_HPDF_INCLUDE_DIR OR NOT PARMAP_HPDF_LIBRARY)
  list(APPEND missing "libharu (Debian: libhpdf-dev)")
endif()
if(missing)
  list(JOIN missing ", " missing)
  message(STATUS "parmap: skipping parmap-rotate: ${missing} not found")
else()
  # Image I/O, PDF and safe files: shared by parmap-rotate and its tests (tests/rotate).
  add_library(parmap_rotate_support STATIC rotate/image.cpp rotate/integrity.cpp rotate/icc.cpp rotate/lossless.cpp rotate/pdf.cpp rotate/batch.cpp)
  target_include_directories(parmap_rotate_support PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/rotate)
  target_include_directories(parmap_rotate_support SYSTEM PUBLIC ${PARMAP_TURBOJPEG_INCLUDE_DIR} ${PARMAP_HPDF_INCLUDE_DIR})
  target_link_libraries(parmap_rotate_support PUBLIC parmap_example_stb parmap_example_files ${PARMAP_TURBOJPEG_LIBRARY}
                        ${PARMAP_HPDF_LIBRARY})
  target_compile_features(parmap_rotate_support PUBLIC cxx_std_17)
  target_compile_options(parmap_rotate_support PRIVATE ${PARMAP_WARNINGS})

  parmap_example(parmap-rotate rotate.cpp)
  target_link_libraries(parmap-rotate PRIVATE parmap_rotate_support)
endif()

if(PARMAP_BUILD_TESTS)
  add_test(NAME example.mandelbrot.help COMMAND parmap-mandelbrot --help)
  set_tests_properties(example.mandelbrot.help PROPERTIES PASS_REGULAR_EXPRESSION "--chunk")
  add_test(NAME example.mandelbrot.compare COMMAND parmap-mandelbrot --compare --width 160 --height 120 --iterations 200 --workers 2)
  set_tests_properties(example.mandelbrot.compare PROPERTIES PASS_REGULAR_EXPRESSION "guided" LABELS examples TIMEOUT 60)
  add_test(NAME example.mandelbrot.samples
           COMMAND parmap-mandelbrot --count 3 --out-dir ${CMAKE_CURRENT_BINARY_DIR}/mandelbrot-samples --width 64 --height 48)
  foreach(bad "--width;0" "--chunk;round" "--count;2" "--backend;gpu" "--no-such-flag")
    string(REPLACE ";" "_" id "${bad}")
    add_test(NAME example.mandelbrot.bad${id}
             COMMAND sh -c "\"$0\" \"$@\"; test $? -eq 2" $<TARGET_FILE:parmap-mandelbrot> ${bad})
  endforeach()
  parmap_out_of_memory_test(example.mandelbrot.out_of_memory
    SAYS "parmap-mandelbrot: out of memory: a 20000x20000 image needs about 2.8 GB" KB 1500000
    COMMAND $<TARGET_FILE:parmap-mandelbrot> --width 20000 --height 20000 --iterations 1 -o ${CMAKE_CURRENT_BINARY_DIR}/too-large.jpg)
  parmap_empty_value_tests(mandelbrot parmap-mandelbrot OPTIONS --width --height --iterations --backend --workers --chunk
                           --view -o --quality --format ARGS --width 32 --height 24)
  parmap_empty_value_tests(mandelbrot_count parmap-mandelbrot OPTIONS --count ARGS --out-dir never-made)
  parmap_empty_value_tests(mandelbrot_out_dir parmap-mandelbrot OPTIONS --out-dir ARGS --count 1)
  if(TARGET parmap-rotate)
    add_test(NAME example.rotate.help COMMAND parmap-rotate --help)
    set_tests_properties(example.rotate.help PROPERTIES PASS_REGULAR_EXPRESSION "EXIF.*Lossless JPEG.*--quality.*--reencode")
    foreach(bad "--angle;45;x.jpg" "--format;tiff;x.jpg" "--quality;0;x.jpg" "--no-such-flag;x.jpg" "" "--workers;0;x.jpg" "--dpi;nan;x.jpg"
                "--dpi;inf;x.jpg" "--dpi;1e999;x.jpg")
      string(REPLACE ";" "_" id "${bad}")
      add_test(NAME example.rotate.bad${id}
               COMMAND sh -c "\"$0\" \"$@\"; test $? -eq 2" $<TARGET_FILE:parmap-rotate> ${bad})
    endforeach()
    parmap_empty_value_tests(rotate parmap-rotate OPTIONS -o --angle --format --quality --dpi --backend --workers --max-pixels
                             POSITIONAL ARGS x.jpg)
  endif()
endif()
