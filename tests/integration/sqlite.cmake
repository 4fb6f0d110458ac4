# SQLite integration tests: the CLI and the shared corpus, on real files.
set(SD_CORPUS_DIR "${CMAKE_SOURCE_DIR}/../shared/corpus" CACHE PATH "schema pairs (shared/corpus)")

add_test(NAME cli_sqlite COMMAND ${CMAKE_CURRENT_LIST_DIR}/cli.sh $<TARGET_FILE:schemad>)
add_test(NAME corpus_sqlite
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/sqlite_corpus.sh $<TARGET_FILE:schemad>
                 ${SD_CORPUS_DIR}/sqlite/sqldef ${SD_CORPUS_DIR}/samples)
# The corpus is optional: without it the test reports itself skipped, never passed.
set_tests_properties(cli_sqlite corpus_sqlite PROPERTIES LABELS integration)
set_tests_properties(corpus_sqlite PROPERTIES SKIP_RETURN_CODE 77)

add_test(NAME report_json_schema
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/report_schema.sh $<TARGET_FILE:schemad>
                 ${CMAKE_SOURCE_DIR}/docs/report.schema.json ${CMAKE_SOURCE_DIR}/examples/demo)
set_tests_properties(report_json_schema PROPERTIES LABELS integration)

add_test(NAME ci_gate COMMAND ${CMAKE_CURRENT_LIST_DIR}/ci_gate.sh $<TARGET_FILE:schemad>
                              ${CMAKE_SOURCE_DIR}/examples/demo)
set_tests_properties(ci_gate PROPERTIES LABELS integration)

add_test(NAME config_errors COMMAND ${CMAKE_CURRENT_LIST_DIR}/config_errors.sh $<TARGET_FILE:schemad>
                                    ${CMAKE_SOURCE_DIR}/tests/fixtures/config)
set_tests_properties(config_errors PROPERTIES LABELS integration)

add_test(NAME daemon_sqlite COMMAND ${CMAKE_CURRENT_LIST_DIR}/daemon.sh $<TARGET_FILE:schemad>)
set_tests_properties(daemon_sqlite PROPERTIES LABELS integration)

add_test(NAME systemd_unit COMMAND ${CMAKE_CURRENT_LIST_DIR}/systemd_unit.sh ${CMAKE_COMMAND} ${CMAKE_BINARY_DIR})
set_tests_properties(systemd_unit PROPERTIES LABELS integration SKIP_RETURN_CODE 77)

add_test(NAME alerts COMMAND ${CMAKE_CURRENT_LIST_DIR}/alerts.sh $<TARGET_FILE:schemad> ${CMAKE_SOURCE_DIR}/docs)
set_tests_properties(alerts PROPERTIES LABELS integration)

# schemad apply on SQLite files: dry run, gates (a pseudo-terminal), rollback, saved plans, pairs.
add_test(NAME apply_sqlite COMMAND ${CMAKE_CURRENT_LIST_DIR}/apply.sh $<TARGET_FILE:schemad>)
set_tests_properties(apply_sqlite PROPERTIES LABELS integration)

add_test(NAME sqlite_wal COMMAND ${CMAKE_CURRENT_LIST_DIR}/sqlite_wal.sh $<TARGET_FILE:schemad>)
set_tests_properties(sqlite_wal PROPERTIES LABELS integration SKIP_RETURN_CODE 77)

add_test(NAME cli_findings COMMAND ${CMAKE_CURRENT_LIST_DIR}/cli_findings.sh $<TARGET_FILE:schemad>)
set_tests_properties(cli_findings PROPERTIES LABELS integration)

add_test(NAME logs COMMAND ${CMAKE_CURRENT_LIST_DIR}/logs.sh $<TARGET_FILE:schemad>)
set_tests_properties(logs PROPERTIES LABELS integration)

add_test(NAME webhook_signature
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/webhook_signature.sh $<TARGET_FILE:schemad> ${CMAKE_SOURCE_DIR}/docs)
set_tests_properties(webhook_signature PROPERTIES LABELS integration TIMEOUT 120)

add_test(NAME help_options
         COMMAND python3 ${CMAKE_CURRENT_LIST_DIR}/help_options.py $<TARGET_FILE:schemad> ${CMAKE_SOURCE_DIR})
set_tests_properties(help_options PROPERTIES LABELS integration)

add_test(NAME http COMMAND ${CMAKE_CURRENT_LIST_DIR}/http.sh $<TARGET_FILE:schemad> ${CMAKE_SOURCE_DIR}/docs)
set_tests_properties(http PROPERTIES LABELS integration)

add_test(NAME ops_alerts COMMAND ${CMAKE_CURRENT_LIST_DIR}/ops_alerts.sh $<TARGET_FILE:schemad>)
set_tests_properties(ops_alerts PROPERTIES LABELS integration)

# A rebuild keeps AUTOINCREMENT's mark, and an orphan row rolls it back in any client.
add_test(NAME sqlite_rebuild COMMAND ${CMAKE_CURRENT_LIST_DIR}/sqlite_rebuild.sh $<TARGET_FILE:schemad>)
set_tests_properties(sqlite_rebuild PROPERTIES LABELS integration)
# A failed rebuild copy loses no row in any client: plain sqlite3, sqlite3 -bail, schemad apply.
add_test(NAME sqlite_rebuild_rows COMMAND ${CMAKE_CURRENT_LIST_DIR}/sqlite_rebuild_rows.sh $<TARGET_FILE:schemad>)
set_tests_properties(sqlite_rebuild_rows PROPERTIES LABELS integration TIMEOUT 120)

# The SQLite benchmark's independent floor (bench/sqlite/floor.sql) runs on a small schema.
add_test(NAME bench_floor_sqlite
         COMMAND sqlite3 -bail :memory:
                 "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT UNIQUE, c REFERENCES t (a)); CREATE INDEX i ON t (b DESC)"
                 ".read ${CMAKE_SOURCE_DIR}/bench/sqlite/floor.sql")
set_tests_properties(bench_floor_sqlite PROPERTIES LABELS integration)

# The Quick start's scripts/demo.sh builds in a tree of its own, never in build/.
add_test(NAME demo_script COMMAND ${CMAKE_CURRENT_LIST_DIR}/demo_script.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(demo_script PROPERTIES LABELS integration)
