# SPDX-License-Identifier: MIT
# liteshift copy / verify (issue 6): sample databases round trip, one test per kind of dirty
# data, what the schema keeps, and SIGKILL at random moments (20 kills of a 400,000-row copy
# in CI; the full 1,000,000-row run is `copy.sh liteshift kill 20 1000000`, docs/copy.md).
set(LS_COPY_SH ${CMAKE_CURRENT_SOURCE_DIR}/copy.sh $<TARGET_FILE:ls_cli>)
ls_pg_test(copy_corpus ${LS_COPY_SH} corpus)
ls_pg_test(copy_dirty ${LS_COPY_SH} dirty)
ls_pg_test(copy_schema ${LS_COPY_SH} schema)
ls_pg_test(copy_kill ${LS_COPY_SH} kill 20 400000)
ls_pg_test(copy_app ${LS_COPY_SH} app)
ls_pg_test(copy_tamper ${LS_COPY_SH} tamper)
ls_pg_test(copy_typeless ${LS_COPY_SH} typeless)
ls_pg_test(copy_typeless_shim ${LS_COPY_SH} typeless_shim)
set_tests_properties(copy_kill PROPERTIES TIMEOUT 600)
set_tests_properties(copy_corpus copy_dirty copy_schema copy_kill copy_app copy_tamper copy_typeless copy_typeless_shim PROPERTIES
  ENVIRONMENT "LS_CORPUS=${CMAKE_SOURCE_DIR}/../shared/corpus/databases;LS_SHIM=$<TARGET_FILE:ls_shim>")
