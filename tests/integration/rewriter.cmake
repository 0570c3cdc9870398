# SPDX-License-Identifier: MIT
# Execution test of the rewrite rules: every "# exec" case of tests/cases on SQLite and,
# rewritten, on the fixture's PostgreSQL; same rows expected.
add_executable(test_rewrite_exec test_rewrite_exec.c ${CMAKE_SOURCE_DIR}/tests/unit/case_file.c)
target_include_directories(test_rewrite_exec PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
target_link_libraries(test_rewrite_exec PRIVATE ls_rewriter ls_compat PkgConfig::LIBPQ PkgConfig::SQLITE3 m)
ls_pg_test(test_rewrite_exec $<TARGET_FILE:test_rewrite_exec> ${CMAKE_SOURCE_DIR}/tests/cases)
