# Runs the compiler on one translation unit and reports whether it compiled.
#   cmake -DCXX=... -DSOURCE=... -DFLAGS="-std=c++17|-fsyntax-only|-I..." -DEXPECT=error|success -P cmake/compile_check_run.cmake
# EXPECT=error: exits 0 and prints the compiler's diagnostics only when the compile failed; a TU that
# compiles prints none of them and exits 1, so the test's PASS_REGULAR_EXPRESSION cannot match.
# EXPECT=success: exits with the compiler's status (the controls).
cmake_minimum_required(VERSION 3.20)

foreach(required CXX SOURCE EXPECT)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "compile.cmake: -D${required}=... is required")
  endif()
endforeach()

string(REPLACE "|" ";" flags "${FLAGS}")
set(command "${CXX}" ${flags} "${SOURCE}")
string(REPLACE ";" " " shown "${command}")
execute_process(COMMAND ${command} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE output)

if(EXPECT STREQUAL "error")
  if(result EQUAL 0)
    message("${shown}\nFAILED: this compiled, but it must not.")
    message(FATAL_ERROR "the test fails")
  endif()
  # The first error line is printed on its own, so a test can ask that the note for the user comes first.
  string(REGEX MATCH "[^\n]* error: [^\n]*" first_error "${output}")  # not a path or a name with "error" in it
  message("${shown}\nfailed to compile, as it must (${result})\nFIRST ERROR: ${first_error}\nthe compiler said:\n${output}")
else()
  message("${shown}")
  if(NOT result EQUAL 0)
    message("${output}")
    message(FATAL_ERROR "FAILED: the control did not compile (${result})")
  endif()
  message("compiled, as it must")
endif()
