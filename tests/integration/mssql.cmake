# SQL Server integration tests: no server (none can run here); the T-SQL
# reader is the loader and the applier. See tests/integration/mssql/.
set(SD_CORPUS_DIR "${CMAKE_SOURCE_DIR}/../shared/corpus" CACHE PATH "schema pairs (shared/corpus)")

add_executable(ms_respell ${CMAKE_CURRENT_LIST_DIR}/mssql/respell.c)
target_link_libraries(ms_respell PRIVATE sd_connectors)

add_test(NAME corpus_mssql
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mssql/corpus.sh $<TARGET_FILE:schemad>
                 $<TARGET_FILE:ms_respell> ${SD_CORPUS_DIR})
# Without the corpus the test reports itself skipped, never passed.
set_tests_properties(corpus_mssql PROPERTIES LABELS integration SKIP_RETURN_CODE 77)

add_test(NAME shop_mssql
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mssql/shop.sh $<TARGET_FILE:schemad>
                 $<TARGET_FILE:ms_respell> ${CMAKE_CURRENT_LIST_DIR}/mssql/shop)
set_tests_properties(shop_mssql PROPERTIES LABELS integration)

# The reader's pure parts: tokens, types, stored expressions, errors, plan shape.
add_executable(unit_mssql ${CMAKE_CURRENT_LIST_DIR}/mssql/unit_mssql.c)
target_link_libraries(unit_mssql PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME unit_mssql COMMAND unit_mssql)
set_tests_properties(unit_mssql PROPERTIES LABELS unit)

add_test(NAME cases_mssql
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mssql/cases.sh $<TARGET_FILE:schemad>
                 $<TARGET_FILE:ms_respell> ${CMAKE_CURRENT_LIST_DIR}/mssql/cases)
set_tests_properties(cases_mssql PROPERTIES LABELS integration)
