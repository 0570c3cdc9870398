# SPDX-License-Identifier: MIT
# Unit tests of the rewriter's core (rewriter/core.cmake).  Included by tests/unit/CMakeLists.txt.
# Tests that compare with SQLite itself link the real libsqlite3; ls_rewriter never does.

# Allocation fault injection: malloc/calloc/realloc of the test and of ls_rewriter's objects
# go through tests/unit/fault_alloc.c.
add_library(ls_fault_alloc STATIC fault_alloc.c)
target_link_options(ls_fault_alloc INTERFACE
  -Wl,--wrap=malloc -Wl,--wrap=calloc -Wl,--wrap=realloc)

ls_unit_test(test_tokenize)
target_link_libraries(test_tokenize PRIVATE ls_rewriter)

ls_unit_test(test_keywords)
target_link_libraries(test_keywords PRIVATE ls_rewriter PkgConfig::SQLITE3)

ls_unit_test(test_params)
target_link_libraries(test_params PRIVATE ls_rewriter ls_fault_alloc PkgConfig::SQLITE3)

ls_unit_test(test_buf)
target_link_libraries(test_buf PRIVATE ls_rewriter ls_fault_alloc)

ls_unit_test(test_split)
target_link_libraries(test_split PRIVATE ls_rewriter PkgConfig::SQLITE3)

ls_unit_test(test_cache)
target_link_libraries(test_cache PRIVATE ls_rewriter ls_fault_alloc)

# Acceptance test of the splitter on the shared corpus (fails when the corpus is missing).
add_executable(test_split_corpus test_split_corpus.c)
target_link_libraries(test_split_corpus PRIVATE ls_rewriter PkgConfig::SQLITE3)
add_test(NAME test_split_corpus COMMAND test_split_corpus ${CMAKE_SOURCE_DIR}/../shared/corpus)
set_tests_properties(test_split_corpus PROPERTIES LABELS unit)

# Benchmark (built, not a test): build/tests/unit/bench_rewrite_core.
add_executable(bench_rewrite_core ${CMAKE_SOURCE_DIR}/tests/bench/bench_rewrite_core.c)
target_link_libraries(bench_rewrite_core PRIVATE ls_rewriter PkgConfig::SQLITE3)

# Fuzz target and its corpus replay (a ctest test with label unit).
add_subdirectory(${CMAKE_SOURCE_DIR}/tests/fuzz ${CMAKE_BINARY_DIR}/tests/fuzz)
