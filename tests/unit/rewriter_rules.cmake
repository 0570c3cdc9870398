# SPDX-License-Identifier: MIT
# Unit tests of the rewriter's rules (rewriter/rules.cmake): the table-driven cases of
# tests/cases/*.case, the DIALECT.md coverage check, and the DDL API.
ls_unit_test(test_cases case_file.c)
target_link_libraries(test_cases PRIVATE ls_rewriter)
target_compile_definitions(test_cases PRIVATE
  LS_CASES_DIR="${CMAKE_SOURCE_DIR}/tests/cases"
  LS_DIALECT_MD="${CMAKE_SOURCE_DIR}/../shared/DIALECT.md")

ls_unit_test(test_ddl)
target_link_libraries(test_ddl PRIVATE ls_rewriter)

# Benchmark (built, not a test): build/tests/unit/bench_rewrite.
add_executable(bench_rewrite ${CMAKE_SOURCE_DIR}/tests/bench/bench_rewrite.c)
target_link_libraries(bench_rewrite PRIVATE ls_rewriter)

ls_unit_test(test_one_row case_file.c)
target_link_libraries(test_one_row PRIVATE ls_rewriter)
ls_unit_test(test_replay_ok case_file.c)
target_link_libraries(test_replay_ok PRIVATE ls_rewriter)
