# parmap-taxi's tests (label taxi): small generated files, with and without quirks, read back and checked
# against an independent reading (tests/check_stats.py, numpy.histogram where numpy is present), the same
# answer on every backend, worker count and block plan, every bad input and usage error. About 20 s on 2 cores.
set(taxi_dir ${CMAKE_CURRENT_BINARY_DIR}/test-data)
set(taxi $<TARGET_FILE:parmap-taxi>)
file(MAKE_DIRECTORY ${taxi_dir})
# Debian's python3 first: numpy from Debian's packages lives there.
find_program(PARMAP_TAXI_PYTHON python3 PATHS /usr/bin NO_DEFAULT_PATH)
find_program(PARMAP_TAXI_PYTHON python3)

# parmap_taxi_test(<name> <command>... [PASS <regex>] [FIXTURES <required>]): one test with the label taxi.
function(parmap_taxi_test name)
  cmake_parse_arguments(arg "" "PASS;FIXTURES;SETUP" "COMMAND" ${ARGN})
  add_test(NAME example.taxi.${name} COMMAND ${arg_COMMAND})
  set_tests_properties(example.taxi.${name} PROPERTIES LABELS "examples;taxi" TIMEOUT 120 SKIP_RETURN_CODE 77)
  if(arg_PASS)
    set_tests_properties(example.taxi.${name} PROPERTIES PASS_REGULAR_EXPRESSION "${arg_PASS}")
  endif()
  if(arg_FIXTURES)
    set_tests_properties(example.taxi.${name} PROPERTIES FIXTURES_REQUIRED "${arg_FIXTURES}")
  endif()
  if(arg_SETUP)
    set_tests_properties(example.taxi.${name} PROPERTIES FIXTURES_SETUP "${arg_SETUP}")
  endif()
endfunction()

# The sample files: 30000 rows of each service, plain and with every quirk.
foreach(kind yellow rideshare)
  parmap_taxi_test(generate.${kind} SETUP taxi_files COMMAND
    sh -c "\"$0\" generate --kind $1 --rows 30000 --seed 11 -o \"$2/$1.csv\" && \"$0\" generate --kind $1 --rows 30001 --seed 12 --quirks -o \"$2/$1-quirks.csv\" && \"$0\" generate --kind $1 --rows 20000 --seed 13 -o \"$2/$1-seed13.csv\" --workers 1 && gzip -c \"$2/$1-quirks.csv\" > \"$2/$1-quirks.csv.gz\""
    ${taxi} ${kind} ${taxi_dir})
endforeach()
set(taxi_files ${taxi_dir}/yellow.csv ${taxi_dir}/rideshare.csv ${taxi_dir}/yellow-quirks.csv ${taxi_dir}/rideshare-quirks.csv)
set(taxi_gz_files ${taxi_dir}/yellow-quirks.csv.gz ${taxi_dir}/rideshare-quirks.csv.gz)

# The same seed gives the same bytes on any backend and worker count; the quirks are all there.
set(taxi_tests ${CMAKE_CURRENT_SOURCE_DIR}/tests)
parmap_taxi_test(generate.same_bytes FIXTURES taxi_files PASS "same bytes" COMMAND sh ${taxi_tests}/same_bytes.sh ${taxi} ${taxi_dir})
parmap_taxi_test(generate.quirks FIXTURES taxi_files PASS "quirks present" COMMAND sh ${taxi_tests}/quirks.sh ${taxi_dir}/rideshare-quirks.csv)

# Counts, histograms and mean against an independent reading, with the default blocks and with small ones
# (many block boundaries, lines cut anywhere).
if(NOT PARMAP_TAXI_PYTHON)
  message(STATUS "parmap: parmap-taxi's independent checks skipped: no python3")
endif()
foreach(plan "default" "small")
  if(NOT PARMAP_TAXI_PYTHON)
    break()
  endif()
  set(options "")
  if(plan STREQUAL "small")
    set(options --block-size 4096 --workers 2)
  endif()
  parmap_taxi_test(independent.${plan} FIXTURES taxi_files PASS "agrees with an independent reading"
    COMMAND ${PARMAP_TAXI_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_stats.py ${taxi} ${options} -- ${taxi_files})
  parmap_taxi_test(independent.gz.${plan} FIXTURES taxi_files PASS "agrees with an independent reading"
    COMMAND ${PARMAP_TAXI_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_stats.py ${taxi} ${options} -- ${taxi_gz_files})
endforeach()

# The same JSON (seconds aside) on every backend and worker count: counts, histograms and the mean's bits.
set(taxi_backends serial threads)
if(TARGET parmap::openmp)
  list(APPEND taxi_backends openmp)
endif()
if(TARGET parmap::thrust)
  list(APPEND taxi_backends thrust)
endif()
string(REPLACE ";" " " taxi_backends "${taxi_backends}")
parmap_taxi_test(same_bits FIXTURES taxi_files COMMAND sh ${taxi_tests}/same_answer.sh "${taxi_backends}" ${taxi} --block-size 8192 -- ${taxi_files})
parmap_taxi_test(same_bits.gz FIXTURES taxi_files COMMAND sh ${taxi_tests}/same_answer.sh "${taxi_backends}" ${taxi} --block-size 8192 -- ${taxi_gz_files})
# A .csv.gz gives the uncompressed file's answer to the bit (its bytes, counts, histograms and mean).
foreach(kind yellow rideshare)
  foreach(block 4096 1048576)
    parmap_taxi_test(gz_same_as_csv.${kind}.${block} FIXTURES taxi_files PASS "the same answer" COMMAND
      sh ${taxi_tests}/same_as.sh ${taxi} ${taxi_dir}/${kind}-quirks.csv ${taxi_dir}/${kind}-quirks.csv.gz --block-size ${block})
  endforeach()
endforeach()

# A hand-made file: line numbers of the skipped rows, the blank line, CRLF, the fare filter, the mean.
set(taxi_hand_text
  "VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,extra,mta_tax,tip_amount,tolls_amount,improvement_surcharge,total_amount\r\n"
  "\r\n"
  "1,2017-01-01 00:00:00,2017-01-01 00:10:00,1,1.50,1,N,1,2,1,10.00,0,0.5,2.00,0,0.3,12.8\r\n"
  "1,2017-01-01 00:00:00,2017-01-01 00:10:00,1,1.50,1,N,1,2,1,,0,0.5,2.00,0,0.3,12.8\r\n"
  "1,2017-01-01 00:00:00,2017-01-01 00:10:00,1,1.50,1,N,1,2,1,-5.00,0,0.5,0,0,0.3,-4.2\r\n"
  "1,2017-01-01 00:00:00,2017-01-01 00:10:00,1,1.50,1,N,1,2,1,10.00,0\r\n"
  "2,2017-01-01 00:00:00,2017-01-01 00:10:00,,150,1,N,1,2,1,20.00,0,0.5,1.00,0,0.3,21.8\r\n"
  "1,2017-01-01 00:00:00,2017-01-01 00:10:00,1,1.50,1,N,1,2,1,abc,0,0.5,2.00,0,0.3,12.8")
string(REPLACE ";" "" taxi_hand_text "${taxi_hand_text}")
file(WRITE ${taxi_dir}/hand.csv "${taxi_hand_text}")
parmap_taxi_test(hand COMMAND ${taxi} ${taxi_dir}/hand.csv PASS
  "rows read +6\n +rows used +2\n +rows skipped +3  \\([^\n]*hand.csv:4, [^\n]*hand.csv:6, [^\n]*hand.csv:8\\)\n +rows with fare <= 0 +1\n +mean tip percent +12.5\n")
parmap_taxi_test(hand_json COMMAND ${taxi} --json ${taxi_dir}/hand.csv PASS
  "^{\"bytes\": [0-9]+, \"seconds\": [0-9.]+, \"services\": {\"yellow\": {\"rows_read\": 6, \"rows_used\": 2, \"rows_skipped\": 3, \"mean_tip_percent\": 12.5, \"tip_ratio_hist\": {\"edges\": \\[0.01, [^]]*, 2\\], \"counts\": \\[[0-9, ]+\\]}, \"distance_hist\": {\"edges\": \\[0.10000000000000001, [^]]*, 100\\], \"counts\": \\[[0-9, ]+\\]}}}}\n$")

# A header and nothing else: the service is there with no rows and no mean (null in JSON).
string(REGEX REPLACE "\r\n.*" "\n" taxi_header_only "${taxi_hand_text}")
file(WRITE ${taxi_dir}/header-only.csv "${taxi_header_only}")
parmap_taxi_test(header_only COMMAND ${taxi} --json ${taxi_dir}/header-only.csv
  PASS "\"yellow\": {\"rows_read\": 0, \"rows_used\": 0, \"rows_skipped\": 0, \"mean_tip_percent\": null, ")

# Usage errors: exit status 2 and exactly one line on stderr.
foreach(bad "--no-such-flag" "--backend;gpu" "--workers;0" "--block-size;10" "--max-line;1" "generate" "generate;--kind;bus;--rows;1;-o;x.csv"
            "generate;--kind;yellow;--rows;-1;-o;x.csv" "generate;--kind;yellow;--rows;abc;-o;x.csv" "generate;--kind;yellow;--rows;1"
            "generate;--kind;yellow;--rows;1;--seed;-3;-o;x.csv" "--plot;x.gif;f.csv" "")
  string(REPLACE ";" "_" id "${bad}")
  parmap_taxi_test(usage${id} COMMAND sh ${taxi_tests}/expect_status.sh 2 1 ${taxi} ${bad})
endforeach()
parmap_taxi_test(help COMMAND ${taxi} --help PASS "Exit status.*--backend.*--workers.*--json.*--plot.*--block-size.*--max-line.*generate")

# Bad input: each file gets one clear line on stderr naming it, the exit status is 1, and a good file given
# after it is still read and reported.
file(WRITE ${taxi_dir}/empty.csv "")
string(RANDOM LENGTH 2000 RANDOM_SEED 17 taxi_random)
string(ASCII 1 2 3 4 5 6 7 8 taxi_controls)
file(WRITE ${taxi_dir}/random.bin "${taxi_random}${taxi_controls}${taxi_random}\n")
file(WRITE ${taxi_dir}/other.csv "station,bikes,docks\n72,3,36\n")
string(REPEAT "x" 70000 taxi_long)
string(REGEX REPLACE "\r\n\r\n.*" "" taxi_header "${taxi_hand_text}")
string(REGEX REPLACE ".*\r\n" "" taxi_row "${taxi_hand_text}")
file(WRITE ${taxi_dir}/long-line.csv "${taxi_header}\n${taxi_row}\n${taxi_long}\n${taxi_row}\n")
file(MAKE_DIRECTORY ${taxi_dir}/a-directory.csv)
set(taxi_bad_inputs
  "missing|${taxi_dir}/no-such-file.csv: cannot open: No such file or directory"
  "directory|${taxi_dir}/a-directory.csv: is a directory"
  "empty|${taxi_dir}/empty.csv: is empty"
  "binary|$<TARGET_FILE:parmap-taxi>: binary data"
  "random_bytes|${taxi_dir}/random.bin: binary data"
  "columns|${taxi_dir}/other.csv: the header lacks the needed columns .*it has: station, bikes, docks"
  "long_line|${taxi_dir}/long-line.csv: line 3 is longer than 65536 bytes"
  "truncated_gz|${taxi_dir}/truncated.csv.gz: corrupt or truncated gzip data \\(unexpected end of file\\)"
  "long_line_gz|${taxi_dir}/long-line.csv.gz: line 3 is longer than 65536 bytes")
# The .gz ones are made from the sample files (a fixture), cut short or compressed whole.
parmap_taxi_test(generate.bad_gz FIXTURES taxi_files SETUP taxi_bad_gz COMMAND
  sh -c "head -c 100000 \"$0/rideshare-quirks.csv.gz\" > \"$0/truncated.csv.gz\" && gzip -c \"$0/long-line.csv\" > \"$0/long-line.csv.gz\"" ${taxi_dir})
foreach(case IN LISTS taxi_bad_inputs)
  string(REPLACE "|" ";" case "${case}")
  list(GET case 0 name)
  list(GET case 1 message)
  string(REGEX REPLACE ": .*" "" input "${message}")
  parmap_taxi_test(bad_input.${name} FIXTURES "taxi_files;taxi_bad_gz" PASS "yellow .*rows read +30000\n.*\nparmap-taxi: ${message}[^\n]*\nexit status 1, 1 line"
    COMMAND sh ${taxi_tests}/expect_status.sh 1 1 ${taxi} ${input} ${taxi_dir}/yellow.csv)
endforeach()
parmap_taxi_test(bad_input.max_line FIXTURES taxi_files PASS "rideshare.csv: line 2 is longer than 100 bytes.*exit status 1, 1 line"
  COMMAND sh ${taxi_tests}/expect_status.sh 1 1 ${taxi} --max-line 100 ${taxi_dir}/rideshare.csv)
# Unreadable: root reads everything, so the test is skipped there (exit status 77).
parmap_taxi_test(bad_input.unreadable FIXTURES taxi_files PASS "unreadable.csv: cannot open: Permission denied.*exit status 1, 1 line"
  COMMAND sh -c "test $(id -u) -eq 0 && exit 77 || cp \"$1/yellow.csv\" \"$1/unreadable.csv\" && chmod 000 \"$1/unreadable.csv\" && sh \"$0\" 1 1 \"$2\" \"$1/unreadable.csv\""
  ${taxi_tests}/expect_status.sh ${taxi_dir} ${taxi})

# --plot: both figures are valid PNG / PDF files; an unwritable place is one line and exit status 1.
if(PARMAP_PLPLOT_FOUND)
  foreach(format png pdf)
    parmap_taxi_test(plot.${format} FIXTURES taxi_files PASS "valid figures" COMMAND
      sh ${taxi_tests}/plot_valid.sh ${taxi} ${taxi_dir}/figures/tips.${format} ${taxi_dir}/yellow.csv ${taxi_dir}/rideshare-quirks.csv.gz)
  endforeach()
  file(MAKE_DIRECTORY ${taxi_dir}/figures)
  parmap_taxi_test(plot.unwritable FIXTURES taxi_files PASS "no-such-dir/tips.png: cannot write: [^\n]*No such file or directory\nexit status 1, 1 line"
    COMMAND sh ${taxi_tests}/expect_status.sh 1 1 ${taxi} --plot ${taxi_dir}/no-such-dir/tips.png ${taxi_dir}/yellow.csv)
endif()

# mpirun -np 1, 2, 3: rank 0 prints one process's answer to the bit (the ranks share the .csv files' blocks;
# rank 0 reads the .gz alone), with the serial and threads backends.
if(PARMAP_MPI_FOUND)
  set(taxi_mpi_args --json --block-size 8192 ${taxi_files} ${taxi_dir}/rideshare-quirks.csv.gz)
  foreach(ranks 1 2 3)
    foreach(backend serial threads)
      parmap_mpiexec_command(taxi_mpi ${ranks} ${taxi} ${taxi_mpi_args} --backend ${backend} --workers 2)
      parmap_taxi_test(mpi.${backend}.ranks${ranks} FIXTURES taxi_files PASS "the same answer"
        COMMAND bash ${taxi_tests}/same_output.sh ${taxi} ${taxi_mpi_args} --backend serial -- ${taxi_mpi})
      set_tests_properties(example.taxi.mpi.${backend}.ranks${ranks} PROPERTIES LABELS "examples;taxi;mpi"
                           ENVIRONMENT "${PARMAP_MPI_TEST_ENVIRONMENT}")
    endforeach()
  endforeach()
endif()

# number.hpp: the fast path gives fast_float's bits on 2e6 random decimal fields, and refuses what it refuses.
add_executable(parmap-taxi-number-check tests/number_check.cpp)
target_include_directories(parmap-taxi-number-check SYSTEM PRIVATE ${PARMAP_FAST_FLOAT_INCLUDE_DIR})
target_compile_features(parmap-taxi-number-check PRIVATE cxx_std_17)
target_compile_options(parmap-taxi-number-check PRIVATE ${PARMAP_WARNINGS})
parmap_taxi_test(number_check COMMAND parmap-taxi-number-check PASS "the same bits")

# Outputs that are not regular files: a link is followed, a FIFO written in place, a directory refused.
set(taxi_special_plot "")
if(PARMAP_PLPLOT_FOUND AND TARGET parmap_example_files)
  set(taxi_special_plot plot)
endif()
parmap_taxi_test(output.special PASS "special outputs kept"
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/special_outputs.sh ${taxi} ${taxi_dir} ${taxi_special_plot})
