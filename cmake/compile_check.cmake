# Misuse that must not compile, with the message written for the user: each test runs the compiler on one
# translation unit through compile_check_run.cmake and passes only when the compile fails AND the first
# error line (printed as "FIRST ERROR: ...") says what the test asks. Each misuse source has a control: the
# same file without -DPARMAP_EXPECT_ERROR must compile, so no failure test can pass for a wrong reason such
# as a bad include path.

# The flags every check starts from: syntax only, C++17, parmap's headers.
set(PARMAP_COMPILE_CHECK_FLAGS -std=c++17 -fsyntax-only "-I${PROJECT_SOURCE_DIR}/include")

# parmap_compile_check(<test> SOURCE <file> EXPECT error|success [REGEX <regex>] [FLAGS <flag>...]
#                      [COMPILER <compiler>] [LABELS <label>...] [TIMEOUT <seconds>]): one compile. FLAGS
# replace PARMAP_COMPILE_CHECK_FLAGS; COMPILER defaults to the C++ compiler, LABELS to compile_fail.
function(parmap_compile_check test)
  cmake_parse_arguments(arg "" "SOURCE;EXPECT;REGEX;COMPILER;TIMEOUT" "FLAGS;LABELS" ${ARGN})
  if(NOT DEFINED arg_FLAGS)
    set(arg_FLAGS ${PARMAP_COMPILE_CHECK_FLAGS})
  endif()
  if(NOT arg_COMPILER)
    set(arg_COMPILER "${CMAKE_CXX_COMPILER}")
  endif()
  if(NOT arg_LABELS)
    set(arg_LABELS compile_fail)
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  string(REPLACE ";" "|" flags "${arg_FLAGS}")
  add_test(NAME ${test}
           COMMAND "${CMAKE_COMMAND}" "-DCXX=${arg_COMPILER}" "-DSOURCE=${arg_SOURCE}" "-DFLAGS=${flags}"
                   "-DEXPECT=${arg_EXPECT}" -P "${PROJECT_SOURCE_DIR}/cmake/compile_check_run.cmake")
  set_tests_properties(${test} PROPERTIES LABELS "${arg_LABELS}" TIMEOUT ${arg_TIMEOUT})
  if(arg_REGEX)
    set_tests_properties(${test} PROPERTIES PASS_REGULAR_EXPRESSION "${arg_REGEX}")
  endif()
endfunction()

# parmap_misuse_tests(<prefix> SOURCE <file> CASES <name>=<regex>... [FLAGS <flag>...] [SYSTEM_INCLUDES <dir>...]
#                     [LABELS <label>...]):
# the test <prefix>.<name> compiles SOURCE with -DPARMAP_EXPECT_ERROR=<name> (or <value>, for an entry
# written <name>/<value>=<regex>) and passes when it fails with <regex> in its first error; <prefix>.control
# compiles SOURCE as it is. FLAGS as for parmap_compile_check; SYSTEM_INCLUDES (a library's headers) are
# added to them as -isystem.
# A CASES entry with no name ("=<regex>") is the only case of its file: the test <prefix>, with
# -DPARMAP_EXPECT_ERROR.
function(parmap_misuse_tests prefix)
  cmake_parse_arguments(arg "" "SOURCE" "CASES;FLAGS;SYSTEM_INCLUDES;LABELS" ${ARGN})
  set(pass_on)
  if(DEFINED arg_LABELS)
    set(pass_on LABELS ${arg_LABELS})
  endif()
  if(NOT DEFINED arg_FLAGS)
    set(arg_FLAGS ${PARMAP_COMPILE_CHECK_FLAGS})
  endif()
  foreach(dir IN LISTS arg_SYSTEM_INCLUDES)
    list(APPEND arg_FLAGS -isystem "${dir}")
  endforeach()
  foreach(entry IN LISTS arg_CASES)
    string(REGEX MATCH "^([^=/]*)(/([^=]*))?=(.*)$" _ "${entry}")
    set(case "${CMAKE_MATCH_1}")
    set(value "${CMAKE_MATCH_3}")
    set(regex "${CMAKE_MATCH_4}")
    if(value STREQUAL "")
      set(value "${case}")
    endif()
    if(case STREQUAL "")
      set(test ${prefix})
      set(define -DPARMAP_EXPECT_ERROR)
    else()
      set(test ${prefix}.${case})
      set(define -DPARMAP_EXPECT_ERROR=${value})
    endif()
    parmap_compile_check(${test} SOURCE ${arg_SOURCE} EXPECT error REGEX "FIRST ERROR: [^\n]*${regex}" ${pass_on}
                         FLAGS ${arg_FLAGS} ${define})
  endforeach()
  parmap_compile_check(${prefix}.control SOURCE ${arg_SOURCE} EXPECT success ${pass_on} FLAGS ${arg_FLAGS})
endfunction()
