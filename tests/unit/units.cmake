# Unit tests: one cmocka binary per module (registered by sd_unit_test).
add_library(sd_testutil STATIC ${CMAKE_CURRENT_LIST_DIR}/testutil.c)
target_link_libraries(sd_testutil PUBLIC sd_connectors PkgConfig::CMOCKA)

foreach(t test_model test_risk test_diff test_sqlite test_source test_url test_ops test_report test_steps)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    sd_unit_test(${t})
    target_link_libraries(${t} PRIVATE sd_testutil)
  endif()
endforeach()

# The configuration links no connector: this binary has sd_config alone.
add_executable(test_config ${CMAKE_CURRENT_LIST_DIR}/test_config.c)
target_link_libraries(test_config PRIVATE sd_config PkgConfig::CMOCKA)
add_test(NAME test_config COMMAND test_config)
set_tests_properties(test_config PROPERTIES LABELS unit)

# No connector includes the dispatcher or another connector's headers.
add_test(NAME structure COMMAND ${CMAKE_CURRENT_LIST_DIR}/structure.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(structure PROPERTIES LABELS unit)

# The error object links util alone.
add_executable(test_err ${CMAKE_CURRENT_LIST_DIR}/test_err.c)
target_link_libraries(test_err PRIVATE sd_util PkgConfig::CMOCKA)
add_test(NAME test_err COMMAND test_err)
set_tests_properties(test_err PROPERTIES LABELS unit)
