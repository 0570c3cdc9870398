# SPDX-License-Identifier: MIT
# Unit tests of the rewriter's core (rewriter/core.cmake).  Included by tests/unit/CMakeLists.txt.
# Tests that compare with SQLite itself link the real libsqlite3; ls_rewriter never does.

ls_unit_test(test_tokenize)
target_link_libraries(test_tokenize PRIVATE ls_rewriter)

ls_unit_test(test_keywords)
target_link_libraries(test_keywords PRIVATE ls_rewriter PkgConfig::SQLITE3)
