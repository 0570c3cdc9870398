# SPDX-License-Identifier: MIT
# The rewriter's core: tokenizer, keywords, statement splitting, parameters, output buffer
# and the rewrite cache.  Included by rewriter/CMakeLists.txt; libc only.
target_sources(ls_rewriter PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/tokenize.c
  ${CMAKE_CURRENT_LIST_DIR}/keywords.c
  ${CMAKE_CURRENT_LIST_DIR}/params.c
  ${CMAKE_CURRENT_LIST_DIR}/split.c
  ${CMAKE_CURRENT_LIST_DIR}/buf.c)
