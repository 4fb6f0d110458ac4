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
# Recreate only what must be, restore grants/owner/comment; --compare privileges,owners.
add_test(NAME pg_recreate COMMAND ${SD_PG_DIR}/recreate.sh $<TARGET_FILE:schemad>)
set_tests_properties(pg_cases pg_behaviour pg_corpus pg_recreate PROPERTIES LABELS "integration;postgres")
# The corpus is optional: without it the test reports itself skipped, never passed.
set_tests_properties(pg_corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 1800)

# Plain keys' texts, written by schemad, are pg_get_constraintdef's on every installed major.
add_test(NAME pg_key_texts COMMAND ${SD_PG_DIR}/keytexts.sh $<TARGET_FILE:schemad>)
set_tests_properties(pg_key_texts PROPERTIES LABELS "integration;postgres;versions" TIMEOUT 300)

# The plan, risk and redaction on in-memory models: no server needed.
add_executable(test_pg_plan ${SD_PG_DIR}/test_pg_plan.c ${CMAKE_SOURCE_DIR}/tests/lib/sql_residue.c)
target_link_libraries(test_pg_plan PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME test_pg_plan COMMAND test_pg_plan)
set_tests_properties(test_pg_plan PROPERTIES LABELS "unit;postgres")

# TO's texts a plan copies are checked (a snapshot's cannot smuggle statements): no server needed.
add_executable(test_pg_texts ${SD_PG_DIR}/test_pg_texts.c)
target_link_libraries(test_pg_texts PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME test_pg_texts COMMAND test_pg_texts)
set_tests_properties(test_pg_texts PROPERTIES LABELS "unit;postgres")

# schemad apply on PostgreSQL: lock timeouts retried then refused naming the blocker, invalid indexes dropped.
add_test(NAME apply_pg COMMAND ${SD_PG_DIR}/apply.sh $<TARGET_FILE:schemad>)
set_tests_properties(apply_pg PROPERTIES LABELS "integration;postgres" TIMEOUT 300)

# Deparsed definitions compared by meaning (libpg_query): no server needed.
add_executable(test_pg_normalize ${SD_PG_DIR}/test_pg_normalize.c)
target_link_libraries(test_pg_normalize PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME test_pg_normalize COMMAND test_pg_normalize)
set_tests_properties(test_pg_normalize PROPERTIES LABELS "unit;postgres")

# The version matrix (versions.sh: 13, 14, 16, 17, 18 beside Debian's 15).
# Convergence of the whole corpus on the oldest and the newest; our own
# cases on the others; the corpus across versions (15 and 17, 13 and 18)
# must show no drift: a sample of one file in SD_PG_XVER_EVERY here,
# every file with SD_PG_MATRIX=full (docs/postgres.md). These test the
# servers' versions, not our memory use: the sanitizer build, which runs
# the same code on pg_corpus, leaves them out to stay within CI's time.
set(SD_PG_XVER_EVERY 10 CACHE STRING "crossver.sh: one corpus file in N")
if(NOT SD_SANITIZE)
  foreach(major 13 18)
    add_test(NAME pg_corpus_${major} COMMAND ${SD_PG_DIR}/corpus.sh $<TARGET_FILE:schemad> ${SD_CORPUS_DIR})
    set_tests_properties(pg_corpus_${major} PROPERTIES ENVIRONMENT PG_MAJOR=${major}
      LABELS "integration;postgres;versions" SKIP_RETURN_CODE 77 TIMEOUT 1800)
  endforeach()
  foreach(major 14 16 17)
    add_test(NAME pg_cases_${major} COMMAND ${SD_PG_DIR}/corpus.sh $<TARGET_FILE:schemad> --cases ${SD_PG_DIR}/cases)
    set_tests_properties(pg_cases_${major} PROPERTIES ENVIRONMENT PG_MAJOR=${major}
      LABELS "integration;postgres;versions" SKIP_RETURN_CODE 77)
  endforeach()
  foreach(pair "15;17" "13;18")
    list(GET pair 0 a)
    list(GET pair 1 b)
    add_test(NAME pg_versions_${a}_${b} COMMAND ${SD_PG_DIR}/crossver.sh $<TARGET_FILE:schemad> ${a} ${b}
      ${SD_CORPUS_DIR} ${SD_PG_XVER_EVERY})
    set_tests_properties(pg_versions_${a}_${b} PROPERTIES LABELS "integration;postgres;versions"
      SKIP_RETURN_CODE 77 TIMEOUT 3600)
  endforeach()
endif()
