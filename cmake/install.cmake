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

# ---- the Debian package (scripts/package.sh) ------------------------------
# CPack's DEB generator rather than a debian/ folder: the package is made
# from the install rules above, so `cmake --install` and the package cannot
# disagree about a path, and it needs no tool beyond CMake and dpkg (a
# debian/ folder and debhelper become the better choice the day the package
# goes to the Debian archive, which builds from a source package).
add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/pkg-doc/changelog.gz
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/pkg-doc
  COMMAND gzip -9n -c ${CMAKE_SOURCE_DIR}/packaging/changelog > ${CMAKE_BINARY_DIR}/pkg-doc/changelog.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/packaging/changelog VERBATIM)
add_custom_target(sd_pkg_doc ALL DEPENDS ${CMAKE_BINARY_DIR}/pkg-doc/changelog.gz)
install(FILES packaging/copyright ${CMAKE_BINARY_DIR}/pkg-doc/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME schemad)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "schema drift monitor for PostgreSQL, MySQL/MariaDB and SQLite")
set(CPACK_PACKAGE_DESCRIPTION
    "schemad reads the catalogs of databases that should have the same schema\n(staging and production, two regions), diffs them, scores every\ndifference by risk and writes the SQL that would realign them. It runs on\ndemand (exit codes for CI) or as a hardened systemd service that alerts\nSlack, webhooks or a command once per change of state.")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "schemad maintainers <maintainers@users.noreply.r-seed-22d970f1.example>")
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# systemd-sysusers makes the user; adduser where systemd is not installed
# (a plain Depends: lintian checks the maintainer script against it).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "man-db, bash-completion")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/packaging/conffiles ${CMAKE_SOURCE_DIR}/packaging/postinst
    ${CMAKE_SOURCE_DIR}/packaging/prerm ${CMAKE_SOURCE_DIR}/packaging/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
# Absolute destinations (/etc/schemad, /lib/systemd/system) land under the
# package root, and CMAKE_INSTALL_PREFIX stays the real prefix for the unit.
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/pkg)
include(CPack)
