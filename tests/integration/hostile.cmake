# Hostile inputs, names and faults (issue 17).
add_test(NAME hostile_inputs COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile_inputs.sh $<TARGET_FILE:schemad>)
set_tests_properties(hostile_inputs PROPERTIES LABELS integration TIMEOUT 120)
