# parmap-mpi-pi and parmap-mpi-mean: the MPI examples, built only where MPI is found (Debian:
# libopenmpi-dev openmpi-bin). Their tests run them under mpiexec with 1, 2 and 4 ranks.
include(${PROJECT_SOURCE_DIR}/cmake/mpiexec.cmake)
if(NOT PARMAP_MPI_FOUND)
  message(STATUS "parmap: parmap-mpi-pi and parmap-mpi-mean skipped: no MPI found (Debian: libopenmpi-dev openmpi-bin)")
  return()
endif()

parmap_example(parmap-mpi-pi mpi_pi.cpp)
parmap_example(parmap-mpi-mean mpi_mean.cpp)
target_link_libraries(parmap-mpi-pi PRIVATE MPI::MPI_CXX)
target_link_libraries(parmap-mpi-mean PRIVATE MPI::MPI_CXX)

if(NOT PARMAP_BUILD_TESTS)
  return()
endif()

# parmap_mpi_twin_tests(<name> <program> KEYS <k>... REFERENCE <command>... ARGS <arg>...): runs <program> <args>
# on 1, 2 and 4 ranks with the serial and threads backends, each time checking that the lines "<key>  value"
# are the same as the single-process <reference>'s.
function(parmap_mpi_twin_tests name program)
  cmake_parse_arguments(arg "" "" "KEYS;REFERENCE;ARGS" ${ARGN})
  string(REPLACE ";" "|" reference "${arg_REFERENCE}")
  string(REPLACE ";" "|" keys "${arg_KEYS}")
  foreach(ranks 1 2 4)
    foreach(backend serial threads)
      parmap_mpiexec_command(command ${ranks} $<TARGET_FILE:${program}> ${arg_ARGS} --backend ${backend} --workers 2)
      string(REPLACE ";" "|" command "${command}")
      set(test example.${name}.same_answer.${backend}.ranks${ranks})
      add_test(NAME ${test} COMMAND "${CMAKE_COMMAND}" "-DFIRST=${reference}" "-DSECOND=${command}" "-DKEYS=${keys}"
                                    -P "${CMAKE_CURRENT_SOURCE_DIR}/compare_outputs.cmake")
      set_tests_properties(${test} PROPERTIES LABELS "examples;mpi" TIMEOUT 300 ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")
    endforeach()
  endforeach()
endfunction()

# parmap_mpi_usage_tests(<name> <program> HELP <regex> BAD <arguments>...): --help lists the options; every bad
# argument list (';' inside one written as ',') exits with status 2 and exactly one line on stderr.
function(parmap_mpi_usage_tests name program)
  cmake_parse_arguments(arg "" "HELP" "BAD" ${ARGN})
  add_test(NAME example.${name}.help COMMAND ${program} --help)
  set_tests_properties(example.${name}.help PROPERTIES PASS_REGULAR_EXPRESSION "${arg_HELP}")
  set(tests example.${name}.help)
  foreach(bad IN LISTS arg_BAD)
    string(REPLACE "," ";" bad_arguments "${bad}")
    string(REPLACE "," "_" id "${bad}")
    add_test(NAME example.${name}.bad${id}
             COMMAND sh -c "err=$(\"$0\" \"$@\" 2>&1 >/dev/null); s=$?; echo \"$err\"; test $s -eq 2 && test $(printf '%s\\n' \"$err\" | wc -l) -eq 1"
                     $<TARGET_FILE:${program}> ${bad_arguments})
    list(APPEND tests example.${name}.bad${id})
  endforeach()
  set_tests_properties(${tests} PROPERTIES LABELS "examples;mpi" TIMEOUT 60 ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")
endfunction()

# parmap-mpi-pi: parmap-pi's hit count, whatever the number of ranks, backend and workers.
parmap_mpi_twin_tests(mpi_pi parmap-mpi-pi KEYS hits
  REFERENCE $<TARGET_FILE:parmap-pi> --samples 12345679 --seed 7 --backend serial
  ARGS --samples 12345679 --seed 7)
parmap_mpi_usage_tests(mpi_pi parmap-mpi-pi HELP "--samples.*--seed.*--backend.*--workers"
  BAD "--samples,0" "--samples,-5" "--samples,abc" "--samples,1.5" "--samples,1e19" "--seed,-1" "--seed,1e3"
      "--seed,18446744073709551616" "--backend,gpu" "--workers,0" "--no-such-flag")
add_test(NAME example.mpi_pi.single_process COMMAND parmap-mpi-pi --samples 1e6)  # no mpiexec
set_tests_properties(example.mpi_pi.single_process PROPERTIES LABELS "examples;mpi" TIMEOUT 120
                     PASS_REGULAR_EXPRESSION "on 1 rank.*estimate +3\\.1" ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")

parmap_empty_value_tests(mpi_pi parmap-mpi-pi OPTIONS --samples --seed --backend --workers ARGS --samples 1000
                         ENVIRONMENT ${PARMAP_MPI_TEST_ENVIRONMENT})

# parmap-mpi-mean: a single process's mean, standard deviation and sum to the last bit, for any number of ranks.
parmap_mpi_twin_tests(mpi_mean parmap-mpi-mean KEYS mean sd sum
  REFERENCE $<TARGET_FILE:parmap-mpi-mean> --count 1000003 --seed 5 --backend serial
  ARGS --count 1000003 --seed 5)
parmap_mpi_usage_tests(mpi_mean parmap-mpi-mean HELP "--count.*--mu.*--sigma.*--seed.*--backend.*--workers.*--array-size"
  BAD "--count,0" "--count,1e11" "--count,x" "--seed,-1" "--sigma,-1" "--backend,gpu" "--workers,0" "--array-size,0"
      "--no-such-flag" "--mu,nan" "--mu,-nan" "--mu,inf" "--mu,1e999" "--sigma,nan" "--sigma,inf")
parmap_empty_value_tests(mpi_mean parmap-mpi-mean OPTIONS --count --mu --sigma --seed --backend --workers --array-size
                         ARGS --count 1000 ENVIRONMENT ${PARMAP_MPI_TEST_ENVIRONMENT})
# normal(10, 5) from 1e6 values: the mean within 5 standard errors (0.025) of 10, every phase timed.
add_test(NAME example.mpi_mean.single_process COMMAND parmap-mpi-mean --count 1e6)
set_tests_properties(example.mpi_mean.single_process PROPERTIES LABELS "examples;mpi" TIMEOUT 120
                     PASS_REGULAR_EXPRESSION "mean +(9\\.9[89]|10\\.0[012])[0-9]*\n +sd +(4\\.9|5\\.0).*same bits as parmap::serial in one process: yes.*generate.*setup.*scatter.*compute.*wait.*gather.*total.*reduce"
                     ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")

# A failure on one rank between parmap::mpi's calls (rank 0 cannot hold the values) ends every rank with
# status 1 and the reason, never a hang. One process says the same.
foreach(ranks 1 2)
  if(ranks EQUAL 1)
    set(command $<TARGET_FILE:parmap-mpi-mean> --count 1e10 --workers 2)  # no mpiexec
    set(says "parmap-mpi-mean: out of memory: --count 10000000000 on rank 0 needs about 80 GB")
  else()
    parmap_mpiexec_command(command 2 $<TARGET_FILE:parmap-mpi-mean> --count 1e10 --workers 2)
    set(says "parmap-mpi-mean: rank 0 of 2 failed: out of memory: --count 10000000000 on rank 0 needs about 80 GB")
  endif()
  parmap_out_of_memory_test(example.mpi_mean.out_of_memory.ranks${ranks} SAYS "${says}" COMMAND ${command}
                            ENVIRONMENT ${PARMAP_MPI_TEST_ENVIRONMENT})
  set_tests_properties(example.mpi_mean.out_of_memory.ranks${ranks} PROPERTIES LABELS "examples;mpi")
endforeach()
