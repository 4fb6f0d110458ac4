# Hostile inputs, names and faults (issue 17).
add_test(NAME hostile_inputs COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile_inputs.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_inputs PROPERTIES LABELS integration TIMEOUT 120)
# Hostile names on every object kind, applied with each engine's own client.
add_test(NAME hostile_mysql COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/mysql.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_mysql PROPERTIES LABELS integration TIMEOUT 300)
add_test(NAME hostile_postgres COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/postgres.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_postgres PROPERTIES LABELS "integration;postgres" TIMEOUT 300)
add_test(NAME hostile_sqlite COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/sqlite.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_sqlite PROPERTIES LABELS integration TIMEOUT 120)
add_test(NAME hostile_dumps COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/dumps.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_dumps PROPERTIES LABELS "integration;postgres" TIMEOUT 300)
add_test(NAME hostile_delivery COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/delivery.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_delivery PROPERTIES LABELS integration TIMEOUT 180)
add_test(NAME hostile_daemon COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/daemon.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_daemon PROPERTIES LABELS integration TIMEOUT 180)
add_test(NAME hostile_secrets COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/secrets.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_secrets PROPERTIES LABELS "integration;postgres" TIMEOUT 180)
# A TO snapshot's texts (views, defaults, bodies...) cannot smuggle statements into a plan.
add_test(NAME hostile_snapshot_pg COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/snapshot_pg.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_snapshot_pg PROPERTIES LABELS "integration;postgres" TIMEOUT 300)
# On the newest server too: its SQL-standard bodies hold syntax 15's grammar does not know.
# (PG_MAJOR=16 or 17 runs it on those: pg/versions.sh.) Left out of the sanitizer build,
# like the other version tests.
if(NOT SD_SANITIZE)
  add_test(NAME hostile_snapshot_pg_18 COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/snapshot_pg.sh $<TARGET_FILE:schemad>)
  set_tests_properties(hostile_snapshot_pg_18 PROPERTIES ENVIRONMENT PG_MAJOR=18
    LABELS "integration;postgres;versions" SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
add_test(NAME hostile_snapshot_mysql COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile/snapshot_mysql.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_snapshot_mysql PROPERTIES LABELS integration TIMEOUT 300)
