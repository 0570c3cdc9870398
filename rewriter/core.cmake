# SPDX-License-Identifier: MIT
# The rewriter's core: tokenizer, keywords, statement splitting, parameters, output buffer
# and the rewrite cache.  Included by rewriter/CMakeLists.txt; libc only.
target_sources(ls_rewriter PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/tokenize.c
  ${CMAKE_CURRENT_LIST_DIR}/keywords.c
  ${CMAKE_CURRENT_LIST_DIR}/params.c
  ${CMAKE_CURRENT_LIST_DIR}/split.c
  ${CMAKE_CURRENT_LIST_DIR}/buf.c
  ${CMAKE_CURRENT_LIST_DIR}/cache.c)
# keywords.c builds its lookup index once with pthread_once (in libc on current glibc).
target_link_libraries(ls_rewriter PRIVATE Threads::Threads)
