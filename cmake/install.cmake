# cmake/install.cmake: what `cmake --install` puts where, and the Debian
# package CPack builds from the same rules (scripts/package.sh).
#
# The unit is generated at install time, not configure time, so that
# `cmake --install build --prefix X` writes X's paths into it.
include(GNUInstallDirs)
set(SD_SYSTEMD_UNITDIR "lib/systemd/system" CACHE PATH
    "systemd unit folder (relative: under the prefix)")
set(SD_SYSUSERSDIR "lib/sysusers.d" CACHE PATH "sysusers.d folder (relative: under the prefix)")
set(SD_TMPFILESDIR "lib/tmpfiles.d" CACHE PATH "tmpfiles.d folder (relative: under the prefix)")
option(SD_INSTALL_ETC "Install the shipped configuration as /etc/schemad/schemad.yml" OFF)

# Compressed man pages: Debian policy, and man reads them everywhere.
set(sd_man_pages schemad.1 schemad.yml.5)
foreach(page IN LISTS sd_man_pages)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/man/${page} > ${CMAKE_BINARY_DIR}/man/${page}.gz
    DEPENDS ${CMAKE_SOURCE_DIR}/man/${page} VERBATIM)
  list(APPEND sd_man_gz ${CMAKE_BINARY_DIR}/man/${page}.gz)
endforeach()
add_custom_target(sd_man ALL DEPENDS ${sd_man_gz})

install(TARGETS schemad RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# A relative GNUInstallDirs folder is under the prefix given to `cmake
# --install` (CMAKE_INSTALL_PREFIX at install time); an absolute one stays.
install(CODE "
  set(SD_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  cmake_path(APPEND SD_PREFIX \"${CMAKE_INSTALL_BINDIR}\" OUTPUT_VARIABLE SD_BINDIR)
  cmake_path(APPEND SD_PREFIX \"${CMAKE_INSTALL_DOCDIR}\" OUTPUT_VARIABLE SD_DOCDIR)
  configure_file(\"${CMAKE_SOURCE_DIR}/systemd/schemad.service.in\"
                 \"${CMAKE_BINARY_DIR}/install/schemad.service\" @ONLY)
")
install(FILES ${CMAKE_BINARY_DIR}/install/schemad.service DESTINATION ${SD_SYSTEMD_UNITDIR})
install(FILES systemd/schemad.sysusers.conf DESTINATION ${SD_SYSUSERSDIR} RENAME schemad.conf)
install(FILES systemd/schemad.tmpfiles.conf DESTINATION ${SD_TMPFILESDIR} RENAME schemad.conf)
if(SD_INSTALL_ETC)
  # No secret in it; /etc/schemad itself is root:schemad 0750 (tmpfiles).
  install(FILES systemd/schemad.yml DESTINATION /etc/schemad)
endif()

install(FILES README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
install(FILES examples/schemad.yml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES systemd/schemad.yml DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples RENAME schemad.default.yml)
install(FILES ${CMAKE_BINARY_DIR}/man/schemad.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_BINARY_DIR}/man/schemad.yml.5.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
install(FILES packaging/schemad.bash-completion DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME schemad)
