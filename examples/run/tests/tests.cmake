# parmap-run's tests: the program run as a user runs it, real processes, no mocks (label: run).
# Included from examples/run/CMakeLists.txt when PARMAP_BUILD_TESTS is on.
set(parmap_run_tests exit_status retries timeout_halt resume output signals bad_input memory slurm)
foreach(name IN LISTS parmap_run_tests)
  add_test(NAME run.${name} COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/${name}.sh $<TARGET_FILE:parmap-run>)
endforeach()
list(TRANSFORM parmap_run_tests PREPEND run.)

add_test(NAME run.spawn_floor COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/spawn_floor.sh $<TARGET_FILE:parmap-spawn-floor>)
list(APPEND parmap_run_tests run.spawn_floor)

add_test(NAME run.help COMMAND parmap-run --help)
set_tests_properties(run.help PROPERTIES PASS_REGULAR_EXPRESSION
  "--jobs.*--shell.*--lines.*--retries.*--timeout.*--halt.*--output.*--keep-order.*--tag.*--results.*--joblog.*--resume.*--dry-run.*--print-failed.*--sbatch.*--array-task")
list(APPEND parmap_run_tests run.help)

set_tests_properties(${parmap_run_tests} PROPERTIES LABELS run TIMEOUT 60)

# Usage errors: status 2 and exactly one line on stderr (cmake/example_tests.cmake).
parmap_usage_error_tests(run parmap-run LABELS run
  BAD "" "-j,0,x" "-j,abc,x" "--timeout,soon,x" "--timeout,-1,x" "--halt,later,x" "--halt,now(comma)fail=0,x"
      "--halt,soon(comma)fail=200%,x" "--lines,5-2,x" "--lines,a,x" "--output,mixed,x" "--resume,x" "--no-such-flag,x"
      "-j,2.5,x")
# A count that is not a whole number is named as such, with its range (not "not in range", as 2.5 is).
add_test(NAME run.bad_count_message COMMAND $<TARGET_FILE:parmap-run> --jobs 2.5 x)
set_tests_properties(run.bad_count_message PROPERTIES LABELS run TIMEOUT 60
                     PASS_REGULAR_EXPRESSION "parmap-run: --jobs: '2\\.5' is not a whole number from 1 to 100000 \\(see --help\\)")

# The tutorial's job file, read where it is (never copied into the repository): the shared/tutorial folder
# beside the checkout when there is one, else configure with -DPARMAP_TUTORIAL_JOBFILE=<path to jobfile.txt>.
# Needs parmap-rotate and parmap-mandelbrot.
set(parmap_tutorial_jobfile "")
if(EXISTS "${PROJECT_SOURCE_DIR}/../shared/tutorial/jobfile.txt")
  get_filename_component(parmap_tutorial_jobfile "${PROJECT_SOURCE_DIR}/../shared/tutorial/jobfile.txt" ABSOLUTE)
endif()
set(PARMAP_TUTORIAL_JOBFILE "${parmap_tutorial_jobfile}" CACHE FILEPATH "The tutorial's jobfile.txt, for parmap-run's tutorial test")
if(PARMAP_TUTORIAL_JOBFILE AND TARGET parmap-rotate AND TARGET parmap-mandelbrot)
  add_test(NAME run.tutorial COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/tutorial.sh $<TARGET_FILE:parmap-run>
           $<TARGET_FILE:parmap-rotate> $<TARGET_FILE:parmap-mandelbrot> ${PARMAP_TUTORIAL_JOBFILE})
  set_tests_properties(run.tutorial PROPERTIES LABELS run TIMEOUT 60)
else()
  message(STATUS "parmap: skipping run.tutorial: set PARMAP_TUTORIAL_JOBFILE to the tutorial's jobfile.txt "
                 "(and build parmap-rotate, parmap-mandelbrot)")
endif()

# Under mpiexec (where parmap-run is built with MPI): 1, 2 and 3 ranks, one joblog, resume across rank counts.
if(PARMAP_MPI_FOUND)
  add_test(NAME run.mpi COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/mpi.sh $<TARGET_FILE:parmap-run>
           ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${PARMAP_MPIEXEC_FLAGS} ${MPIEXEC_PREFLAGS})
  set_tests_properties(run.mpi PROPERTIES LABELS "run;mpi" TIMEOUT 120 ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")
  # 2 ranks stop together: --halt over every rank's failures, a signal to one rank, Ctrl-C to the launcher.
  add_test(NAME run.mpi_stop COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/mpi_stop.sh $<TARGET_FILE:parmap-run>
           ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${PARMAP_MPIEXEC_FLAGS} ${MPIEXEC_PREFLAGS})
  set_tests_properties(run.mpi_stop PROPERTIES LABELS "run;mpi" TIMEOUT 120 ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")
endif()

# A real one-node Slurm started by the test (slurm-wlm, munge, root): --sbatch | sbatch, the status file checked.
# The script says "skipped" where the daemons are missing or cannot start.
add_test(NAME run.slurm_cluster COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/slurm_cluster.sh $<TARGET_FILE:parmap-run>)
set_tests_properties(run.slurm_cluster PROPERTIES LABELS run TIMEOUT 120)
