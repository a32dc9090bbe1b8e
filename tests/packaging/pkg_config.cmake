# Builds and runs the consumer program without any build system, as a Makefile-less user would:
#   c++ -std=c++17 main.cpp -o consumer $(pkg-config --cflags --libs parmap)
# with PKG_CONFIG_PATH pointing at the installed prefix only; once more with OpenMP's flags added.
#   cmake -DPKG_CONFIG=... -DPREFIX=... -DPKG_CONFIG_PATH=... -DCXX=... -DSOURCE=main.cpp -DWORK_DIR=... -DVERSION=...
#         [-DOPENMP_FLAGS="-fopenmp"] -P pkg_config.cmake
cmake_minimum_required(VERSION 3.20)

foreach(required PKG_CONFIG PREFIX PKG_CONFIG_PATH CXX SOURCE WORK_DIR VERSION)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "pkg_config.cmake: -D${required}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(ENV{PKG_CONFIG_PATH} "${PKG_CONFIG_PATH}")
message(STATUS "PKG_CONFIG_PATH=${PKG_CONFIG_PATH}")

function(run_step name out_var)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "[${name}] ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT output STREQUAL "")
    message(STATUS "  ${output}")
  endif()
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "[${name}] failed (${result}): ${shown}")
  endif()
  set(${out_var} "${output}" PARENT_SCOPE)
endfunction()

run_step(version version "${PKG_CONFIG}" --modversion parmap)
if(NOT version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config says parmap ${version}, expected ${VERSION}")
endif()
run_step(includedir includedir "${PKG_CONFIG}" --variable=includedir parmap)
if(NOT EXISTS "${includedir}/parmap/parmap.hpp")
  message(FATAL_ERROR "pkg-config's includedir ${includedir} has no parmap/parmap.hpp")
endif()
get_filename_component(includedir "${includedir}" REALPATH)
get_filename_component(expected_root "${PREFIX}" REALPATH)
string(FIND "${includedir}/" "${expected_root}/" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "pkg-config found parmap's headers in ${includedir}, outside ${expected_root}")
endif()

run_step(flags flags "${PKG_CONFIG}" --cflags --libs parmap)
separate_arguments(flags UNIX_COMMAND "${flags}")

run_step(compile ignored "${CXX}" -std=c++17 "${SOURCE}" -o "${WORK_DIR}/consumer" ${flags})
run_step(run ignored "${WORK_DIR}/consumer")

if(NOT "${OPENMP_FLAGS}" STREQUAL "")
  separate_arguments(openmp UNIX_COMMAND "${OPENMP_FLAGS}")
  run_step(compile-openmp ignored "${CXX}" -std=c++17 ${openmp} -DPARMAP_CONSUMER_OPENMP "${SOURCE}"
           -o "${WORK_DIR}/consumer_openmp" ${flags})
  run_step(run-openmp ignored "${WORK_DIR}/consumer_openmp")
endif()
