# Installs parmap from a configured build tree into a staging prefix, then moves that prefix
# elsewhere, so the consumers that use it prove the install is relocatable. Also fails when an
# installed file mentions the source, build or staging directory.
#   cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DSTAGING_DIR=... -DPREFIX=... [-DCONFIG=...]
#         -DEXPECTED=include/parmap/parmap.hpp|share/... -P install_prefix.cmake
cmake_minimum_required(VERSION 3.20)

foreach(required BUILD_DIR SOURCE_DIR STAGING_DIR PREFIX EXPECTED)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "install_prefix.cmake: -D${required}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${STAGING_DIR}" "${PREFIX}")
set(install "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${STAGING_DIR}" --component parmap)
if(CONFIG)
  list(APPEND install --config "${CONFIG}")
endif()
string(REPLACE ";" " " shown "${install}")
message(STATUS "[install] ${shown}")
execute_process(COMMAND ${install} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "[install] failed (${result})")
endif()

get_filename_component(prefix_parent "${PREFIX}" DIRECTORY)
file(MAKE_DIRECTORY "${prefix_parent}")
file(RENAME "${STAGING_DIR}" "${PREFIX}")
message(STATUS "[relocate] moved ${STAGING_DIR} to ${PREFIX}")

string(REPLACE "|" ";" expected_files "${EXPECTED}")
foreach(relative IN LISTS expected_files)
  if(NOT EXISTS "${PREFIX}/${relative}")
    message(FATAL_ERROR "the install lacks ${relative}")
  endif()
endforeach()

file(GLOB_RECURSE installed LIST_DIRECTORIES false "${PREFIX}/*")
list(LENGTH installed count)
foreach(file IN LISTS installed)
  file(READ "${file}" text)
  foreach(path "${STAGING_DIR}" "${BUILD_DIR}" "${SOURCE_DIR}")
    string(FIND "${text}" "${path}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "${file} mentions ${path}: the install is not relocatable")
    endif()
  endforeach()
endforeach()
message(STATUS "[check] ${count} installed files, none mentions the source, build or staging directory")
