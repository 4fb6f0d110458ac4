# Unit tests: one cmocka binary per module (registered by sd_unit_test).
add_library(sd_testutil STATIC ${CMAKE_CURRENT_LIST_DIR}/testutil.c)
target_link_libraries(sd_testutil PUBLIC sd_connectors PkgConfig::CMOCKA)

foreach(t test_model test_risk test_diff test_sqlite test_source test_report)
  if(EXISTS ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
    sd_unit_test(${t})
    target_link_libraries(${t} PRIVATE sd_testutil)
  endif()
endforeach()
