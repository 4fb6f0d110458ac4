# MySQL/MariaDB integration tests: each script starts its own MariaDB
# (tests/integration/mysql/server.sh: mariadb-install-db into a temporary
# folder, mariadbd on a unix socket, no TCP) and stops it on exit.
set(SD_CORPUS_DIR "${CMAKE_SOURCE_DIR}/../shared/corpus" CACHE PATH "schema pairs (shared/corpus)")

add_test(NAME corpus_mysql
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql/corpus.sh $<TARGET_FILE:schemad> ${SD_CORPUS_DIR})
# Without the corpus the test reports itself skipped, never passed.
set_tests_properties(corpus_mysql PROPERTIES LABELS integration SKIP_RETURN_CODE 77 TIMEOUT 900)

add_test(NAME features_mysql
         COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql/features.sh $<TARGET_FILE:schemad>)
set_tests_properties(features_mysql PROPERTIES LABELS integration TIMEOUT 300)

# The connector's pure parts (URL, normalization, quoting, plan shape): no server.
add_executable(unit_mysql ${CMAKE_CURRENT_LIST_DIR}/mysql/unit_mysql.c)
target_link_libraries(unit_mysql PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME unit_mysql COMMAND unit_mysql)
set_tests_properties(unit_mysql PROPERTIES LABELS unit)

# TO's texts a plan copies are checked (a snapshot's cannot smuggle statements): no server.
add_executable(test_my_texts ${CMAKE_CURRENT_LIST_DIR}/mysql/test_my_texts.c)
target_link_libraries(test_my_texts PRIVATE sd_connectors PkgConfig::CMOCKA)
add_test(NAME test_my_texts COMMAND test_my_texts)
set_tests_properties(test_my_texts PROPERTIES LABELS unit)

# schemad apply on MariaDB: a failure half-way reported, a second run finishes; lock_wait_timeout.
add_test(NAME apply_mysql COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql/apply.sh $<TARGET_FILE:schemad>)
set_tests_properties(apply_mysql PROPERTIES LABELS integration TIMEOUT 300)

# MariaDB's forms (CHECK on the column, NO ACTION spelled out) read, reported as cosmetic, reproduced.
add_test(NAME fidelity_mysql COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql/fidelity.sh $<TARGET_FILE:schemad>)
set_tests_properties(fidelity_mysql PROPERTIES LABELS integration TIMEOUT 300)

# MariaDB sequences: read in one query, left unchanged, planned (CREATE/ALTER/DROP SEQUENCE), converged.
add_test(NAME sequences_mysql COMMAND ${CMAKE_CURRENT_LIST_DIR}/mysql/sequences.sh $<TARGET_FILE:schemad>)
set_tests_properties(sequences_mysql PROPERTIES LABELS integration TIMEOUT 300)
