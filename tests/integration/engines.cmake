# Tests across engines: they start their own PostgreSQL and MariaDB servers.
add_test(NAME daemon_pg COMMAND ${CMAKE_CURRENT_LIST_DIR}/daemon_pg.sh $<TARGET_FILE:schemad>)
add_test(NAME dumps COMMAND ${CMAKE_CURRENT_LIST_DIR}/dumps.sh $<TARGET_FILE:schemad> ${SD_CORPUS_DIR})
set_tests_properties(daemon_pg dumps PROPERTIES LABELS "integration;postgres")
# Without the corpus the dump test reports itself skipped, never passed.
set_tests_properties(dumps PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900)
# Timeouts from the configuration and the CLI flags reach every engine.
add_test(NAME timeouts COMMAND ${CMAKE_CURRENT_LIST_DIR}/timeouts.sh $<TARGET_FILE:schemad>)
set_tests_properties(timeouts PROPERTIES LABELS "integration;postgres" TIMEOUT 300)

# A migration's lock: deferred checks naming the blocker, the grace before pair.unreachable.
add_test(NAME ops_pg COMMAND ${CMAKE_CURRENT_LIST_DIR}/ops_pg.sh $<TARGET_FILE:schemad>)
set_tests_properties(ops_pg PROPERTIES LABELS "integration;postgres")

# The status page in Debian's chromium (puppeteer-core, npm ci from tests/integration/browser).
add_test(NAME status_page COMMAND ${CMAKE_CURRENT_LIST_DIR}/status_page.sh $<TARGET_FILE:schemad>)
set_tests_properties(status_page PROPERTIES LABELS "integration;postgres;browser" TIMEOUT 300)
