# For this project's MPI tests and examples (not installed): finds MPI once and says how to start a
# program on N ranks. Sets PARMAP_MPI_FOUND, PARMAP_MPI_TEST_ENVIRONMENT (for set_tests_properties), and
#   parmap_mpiexec_command(<var> <ranks> <program> [<args>...])
# which sets <var> to the mpiexec command line. Open MPI refuses more ranks than cores, and running as
# root, unless told (--oversubscribe here, the environment for root); MPICH needs neither.
include_guard(DIRECTORY)  # once per directory tree: the imported MPI targets are directory-scoped
find_package(MPI COMPONENTS CXX)
if(MPI_CXX_FOUND AND MPIEXEC_EXECUTABLE)
  set(PARMAP_MPI_FOUND ON)
else()
  set(PARMAP_MPI_FOUND OFF)
endif()
set(PARMAP_MPI_TEST_ENVIRONMENT "OMPI_ALLOW_RUN_AS_ROOT=1;OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1")
set(PARMAP_MPIEXEC_FLAGS "")
if(PARMAP_MPI_FOUND)
  execute_process(COMMAND ${MPIEXEC_EXECUTABLE} --version OUTPUT_VARIABLE parmap_mpiexec_version ERROR_QUIET)
  if(parmap_mpiexec_version MATCHES "Open MPI|OpenRTE")
    set(PARMAP_MPIEXEC_FLAGS --oversubscribe)
  endif()
endif()

function(parmap_mpiexec_command var ranks)
  set(${var} ${MPIEXEC_EXECUTABLE} ${MPIEXEC_NUMPROC_FLAG} ${ranks} ${PARMAP_MPIEXEC_FLAGS} ${MPIEXEC_PREFLAGS} ${ARGN}
      ${MPIEXEC_POSTFLAGS} PARENT_SCOPE)
endfunction()
