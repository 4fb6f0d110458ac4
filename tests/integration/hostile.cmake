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
