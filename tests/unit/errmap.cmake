# SPDX-License-Identifier: MIT
# shim/errmap.c: SQLSTATE to SQLite codes and messages.  Pure; no server needed.
ls_unit_test(test_errmap)
target_sources(test_errmap PRIVATE ${CMAKE_SOURCE_DIR}/shim/errmap.c)
target_include_directories(test_errmap PRIVATE ${CMAKE_SOURCE_DIR}/shim)
target_link_libraries(test_errmap PRIVATE PkgConfig::LIBPQ ls_sqlite3_headers)
