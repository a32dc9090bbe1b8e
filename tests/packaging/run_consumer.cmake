# Configures, builds and tests one consumer project in a fresh build directory.
#   cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DCXX=... -DGENERATOR=... [-DMAKE_PROGRAM=...] [-DCONFIG=...]
#         -DCTEST=... [-DARGS=-DA=1|-DB=2] -P run_consumer.cmake
# The consumer's own tests run its programs, which check their results and exit non-zero when wrong.
cmake_minimum_required(VERSION 3.20)

foreach(required SOURCE_DIR BINARY_DIR CXX GENERATOR CTEST)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: -D${required}=... is required")
  endif()
endforeach()

function(run_step name)
  string(REPLACE ";" " " shown "${ARGN}")
  message(STATUS "[${name}] ${shown}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "[${name}] failed (${result}): ${shown}")
  endif()
endfunction()

file(REMOVE_RECURSE "${BINARY_DIR}")
string(REPLACE "|" ";" extra_args "${ARGS}")

set(configure "${CMAKE_COMMAND}" -S "${SOURCE_DIR}" -B "${BINARY_DIR}" -G "${GENERATOR}"
    "-DCMAKE_CXX_COMPILER=${CXX}" -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON ${extra_args})
if(MAKE_PROGRAM)
  list(APPEND configure "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
set(build_config "")
set(test_config "")
if(CONFIG)
  list(APPEND configure "-DCMAKE_BUILD_TYPE=${CONFIG}")
  set(build_config --config "${CONFIG}")
  set(test_config -C "${CONFIG}")
endif()

run_step(configure ${configure})
run_step(build "${CMAKE_COMMAND}" --build "${BINARY_DIR}" ${build_config} --parallel 2)
run_step(run "${CTEST}" --test-dir "${BINARY_DIR}" ${test_config} --output-on-failure --no-tests=error)
message(STATUS "consumer ${SOURCE_DIR}: configured, built and ran")
