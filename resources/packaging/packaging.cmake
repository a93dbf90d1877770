# Installation layout and the Debian package (CPack). Included by the top-level CMakeLists.txt.
#   cmake --install build/release --prefix /usr/local      programs, data, docs, desktop files
#   cmake --build build/release --target package           wignerscope_<version>_<arch>.deb
# The app finds presets and lessons in <prefix>/share/wignerscope, relative to its own binary
# (applicationDirPath()/../share/wignerscope; ui/widgets/datadirs.h), beside the copies built into
# its Qt resources and the user's own directory.
include(GNUInstallDirs)
# Debian keeps a package's documents in /usr/share/doc/<package> (GNUInstallDirs would use the
# project name, "Wignerscope").
set(WS_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/wignerscope)
set(_pkg ${CMAKE_CURRENT_LIST_DIR})
set(WS_APP_ID org.wignerscope.Wignerscope)

install(TARGETS wignerscope-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
if(TARGET wignerscope)
  install(TARGETS wignerscope RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${_pkg}/${WS_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/wignerscope.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${WS_APP_ID}.svg)
  configure_file(${_pkg}/${WS_APP_ID}.metainfo.xml ${CMAKE_CURRENT_BINARY_DIR}/${WS_APP_ID}.metainfo.xml
                 @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/${WS_APP_ID}.metainfo.xml
          DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
endif()

# Data: presets, lessons (if any), the example weights.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/presets DESTINATION ${CMAKE_INSTALL_DATADIR}/wignerscope)
if(EXISTS ${PROJECT_SOURCE_DIR}/resources/lessons)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/lessons DESTINATION ${CMAKE_INSTALL_DATADIR}/wignerscope)
endif()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/weights/ DESTINATION ${CMAKE_INSTALL_DATADIR}/wignerscope/examples)

# Documentation.
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${WS_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs DESTINATION ${WS_DOCDIR})

# Man pages (gzipped, reproducibly) and bash completion.
set(_man_gz "")
foreach(_page wignerscope wignerscope-cli)
  configure_file(${_pkg}/${_page}.1 ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1 @ONLY)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1.gz
    COMMAND gzip -n -9 -c ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1 > ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1.gz
    DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1 VERBATIM)
  list(APPEND _man_gz ${CMAKE_CURRENT_BINARY_DIR}/man/${_page}.1.gz)
endforeach()
add_custom_target(ws_man ALL DEPENDS ${_man_gz})
install(FILES ${_man_gz} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${_pkg}/wignerscope-cli.bash-completion DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME wignerscope-cli)

# The Debian package. Dependencies come from the binaries' shared libraries (dpkg-shlibdeps).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME wignerscope)
set(CPACK_PACKAGE_VENDOR "Wignerscope developers")
set(CPACK_PACKAGE_CONTACT "Wignerscope developers <wignerscope@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Explore the eigenvalues of deformed Wigner matrices")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGE_DESCRIPTION
  "Wignerscope samples H = (sigma/sqrt(N)) X + S, a Wigner noise plus a deterministic signal of growing rank, and draws the eigenvalue histogram over the predicted density with the predicted and observed outliers: a Qt desktop app (wignerscope) and a command-line tool (wignerscope-cli).")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion")
include(CPack)
