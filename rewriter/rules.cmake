# SPDX-License-Identifier: MIT
# The rewriter's rules: the rewrite driver, statement, expression, date/time and PRAGMA
# rules, and the DDL translation shared by the shim and the copy tool.
target_sources(ls_rewriter PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/rewrite.c
  ${CMAKE_CURRENT_LIST_DIR}/dml.c
  ${CMAKE_CURRENT_LIST_DIR}/expr.c
  ${CMAKE_CURRENT_LIST_DIR}/star.c
  ${CMAKE_CURRENT_LIST_DIR}/typeless.c
  ${CMAKE_CURRENT_LIST_DIR}/classref.c
  ${CMAKE_CURRENT_LIST_DIR}/datetime.c
  ${CMAKE_CURRENT_LIST_DIR}/json.c
  ${CMAKE_CURRENT_LIST_DIR}/pragma.c
  ${CMAKE_CURRENT_LIST_DIR}/ddl.c
  ${CMAKE_CURRENT_LIST_DIR}/dropview.c
  ${CMAKE_CURRENT_LIST_DIR}/replay.c)
