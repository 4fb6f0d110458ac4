# PostgreSQL integration tests. Each script starts its own server
# (tests/integration/pg/pgserver.sh: initdb into a temporary folder as the
# unprivileged "postgres" user, unix socket only) and stops it on exit.
set(SD_CORPUS_DIR "${CMAKE_SOURCE_DIR}/../shared/corpus" CACHE PATH "schema pairs (shared/corpus)")
set(SD_PG_DIR ${CMAKE_CURRENT_LIST_DIR}/pg)

# Our own pairs: hostile names, dependent views, key swaps, types, partitions...
add_test(NAME pg_cases COMMAND ${SD_PG_DIR}/corpus.sh $<TARGET_FILE:schemad> --cases ${SD_PG_DIR}/cases)
# Read-only, constant round trips, lock timeout, password redaction, plan shape.
add_test(NAME pg_behaviour COMMAND ${SD_PG_DIR}/behaviour.sh $<TARGET_FILE:schemad>)
# migra + apgdiff pairs and the sample schemas of shared/corpus.
add_test(NAME pg_corpus COMMAND ${SD_PG_DIR}/corpus.sh $<TARGET_FILE:schemad> ${SD_CORPUS_DIR})
set_tests_properties(pg_cases pg_behaviour pg_corpus PROPERTIES LABELS "integration;postgres")
# The corpus is optional: without it the test reports itself skipped, never passed.
set_tests_properties(pg_corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)

# The plan, risk and redaction on in-memory models: no server needed.
add_executable(test_pg_plan ${SD_PG_DIR}/test_pg_plan.c ${CMAKE_SOURCE_DIR}/tests/lib/sql_residue.c)
target_link_libraries(test_pg_plan PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME test_pg_plan COMMAND test_pg_plan)
set_tests_properties(test_pg_plan PROPERTIES LABELS "unit;postgres")

# schemad apply on PostgreSQL: lock timeouts retried then refused naming the blocker, invalid indexes dropped.
add_test(NAME apply_pg COMMAND ${SD_PG_DIR}/apply.sh $<TARGET_FILE:schemad>)
set_tests_properties(apply_pg PROPERTIES LABELS "integration;postgres" TIMEOUT 300)
