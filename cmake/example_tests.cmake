# The examples' command-line test helpers (examples/*/CMakeLists.txt, examples/run and examples/taxi may use
# them too). Each adds ctest tests with the label "examples".

# One usage-error check: the program, run with the arguments after it, exits with status 2 and prints
# exactly one line on stderr (its stdout is ignored). An argument written as (empty) is passed as ''.
set(PARMAP_USAGE_ERROR_CHECK
    "p=$0; for a do shift; if test \"$a\" = '(empty)'; then a=''; fi; set -- \"$@\" \"$a\"; done; err=$(\"$p\" \"$@\" 2>&1 >/dev/null); s=$?; echo \"$err\"; echo \"exit status $s\"; test $s -eq 2 && test $(printf '%s\\n' \"$err\" | wc -l) -eq 1")

# parmap_usage_error_tests(<name> <program> BAD <arguments>... [ENVIRONMENT <env>...] [LABELS <label>...]):
# one test example.<name>.bad<id> per argument list in BAD (its arguments separated by ',', a comma inside
# an argument written (comma); <id> the list with ',' as '_'; "" is no argument at all), each a usage
# error: status 2 and exactly one line on stderr.
function(parmap_usage_error_tests name program)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "BAD;ENVIRONMENT;LABELS")
  set(labels examples ${arg_LABELS})
  foreach(bad IN LISTS arg_BAD)
    string(REPLACE "," ";" arguments "${bad}")
    list(TRANSFORM arguments REPLACE "\\(comma\\)" ",")
    string(REPLACE "," "_" id "${bad}")
    string(REPLACE "(comma)" "+" id "${id}")
    add_test(NAME example.${name}.bad${id} COMMAND sh -c "${PARMAP_USAGE_ERROR_CHECK}" $<TARGET_FILE:${program}> ${arguments})
    set_tests_properties(example.${name}.bad${id} PROPERTIES LABELS "${labels}" TIMEOUT 60
                         ENVIRONMENT "${arg_ENVIRONMENT}")
  endforeach()
endfunction()

# parmap_empty_value_tests(<name> <program> OPTIONS <option>... [ARGS <arg>...] [ENVIRONMENT <env>...]): each
# option given an empty value, as `--option "$UNSET"` gives it, before ARGS: a usage error (the check above),
# never a default. The option POSITIONAL stands for an empty positional argument.
function(parmap_empty_value_tests name program)
  cmake_parse_arguments(arg "" "" "OPTIONS;ARGS;ENVIRONMENT" ${ARGN})
  foreach(option IN LISTS arg_OPTIONS)
    set(test example.${name}.empty_value${option})
    if(option STREQUAL "POSITIONAL")
      set(arguments "(empty)" ${arg_ARGS})
    else()
      set(arguments ${option} "(empty)" ${arg_ARGS})
    endif()
    add_test(NAME ${test} COMMAND sh -c "${PARMAP_USAGE_ERROR_CHECK}" $<TARGET_FILE:${program}> ${arguments})
    set_tests_properties(${test} PROPERTIES LABELS examples TIMEOUT 60 ENVIRONMENT "${arg_ENVIRONMENT}")
  endforeach()
endfunction()

# parmap_out_of_memory_test(<name> SAYS <text> [KB <n>] COMMAND <command>... [ENVIRONMENT <env>...]): <command>
# under `ulimit -v <n>` (default 4000000: 4 GB of address space, so that an allocation larger than that fails
# on any machine) ends with a non-zero status and prints <text>, never a hang (`timeout` turns one into status
# 124, which fails).
function(parmap_out_of_memory_test name)
  cmake_parse_arguments(arg "" "SAYS;KB" "COMMAND;ENVIRONMENT" ${ARGN})
  if(NOT arg_KB)
    set(arg_KB 4000000)
  endif()
  add_test(NAME ${name}
           COMMAND sh -c "out=$(ulimit -v ${arg_KB}; timeout -k 10 120 \"$@\" 2>&1); s=$?; echo \"$out\"; echo \"status $s\"; test $s -ne 0 && test $s -ne 124 && printf '%s\\n' \"$out\" | grep -qF \"$0\""
                   "${arg_SAYS}" ${arg_COMMAND})
  set_tests_properties(${name} PROPERTIES LABELS examples TIMEOUT 180 ENVIRONMENT "${arg_ENVIRONMENT}")
endfunction()
