# Runs each bench in BENCHES (a list of paths) briefly and fails when one
# exits non-zero or reports a benchmark error (SkipWithError). Expects
# MARAC_BENCH_SMALL=1 in the environment (set by the BenchSmoke test).
#   cmake -DBENCHES="build/bin/assess_bench;build/bin/score_cli_bench" \
#         -P bench/bench_smoke.cmake
if(NOT BENCHES)
  message(FATAL_ERROR "BENCHES is empty: pass -DBENCHES=<bench>;<bench>...")
endif()
foreach(bench IN LISTS BENCHES)
  execute_process(
    COMMAND ${bench} --benchmark_filter=. --benchmark_min_time=0.01
            --benchmark_format=json
    RESULT_VARIABLE exit_code
    OUTPUT_VARIABLE report
    ERROR_VARIABLE errors)
  if(NOT exit_code EQUAL 0)
    message(FATAL_ERROR "${bench} exited with ${exit_code}:\n${errors}")
  endif()
  if(report MATCHES "\"error_occurred\": *true")
    message(FATAL_ERROR "${bench} reported an error:\n${report}")
  endif()
  if(NOT report MATCHES "\"items_per_second\"")
    message(FATAL_ERROR "${bench} ran no benchmark:\n${report}\n${errors}")
  endif()
  message(STATUS "${bench}: ok")
endforeach()
