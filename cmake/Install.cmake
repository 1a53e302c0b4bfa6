# `cmake --install` and CPack: shardsim installed like a real tool.
#   bin/shardsim                                  the binary (the schema and region tables are
#                                                 embedded; it needs no file at run time)
#   share/shardsim/scenarios/                     the shipped scenarios (and schema/), to start from
#   share/shardsim/data/                          the region tables, with their source and licence
#   share/man/man1/shardsim.1                     the man page, from --help by help2man
#   share/bash-completion/completions/shardsim    bash completion
#   share/doc/shardsim/                           README and docs
# `cpack` in the build directory writes a .deb of the same tree.
include(GNUInstallDirs)

install(TARGETS shardsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/shardsim/scenarios
        PATTERN "bad" EXCLUDE)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/data/ DESTINATION ${CMAKE_INSTALL_DATADIR}/shardsim/data)
install(FILES ${PROJECT_SOURCE_DIR}/tools/completion/shardsim.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME shardsim)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)

# The man page is the program's own --help, so it cannot drift from it. help2man comes from
# tools/packages.txt; without it the page is left out, loudly.
find_program(SHARDSIM_HELP2MAN help2man)
if(SHARDSIM_HELP2MAN)
  set(SHARDSIM_MAN_PAGE ${PROJECT_BINARY_DIR}/shardsim.1)
  add_custom_command(OUTPUT ${SHARDSIM_MAN_PAGE}
                     COMMAND ${SHARDSIM_HELP2MAN} --no-info --no-discard-stderr
                             --name "simulate a geo-distributed, sharded master/slave database"
                             --output ${SHARDSIM_MAN_PAGE} $<TARGET_FILE:shardsim>
                     DEPENDS shardsim COMMENT "Writing the man page (help2man)" VERBATIM)
  add_custom_target(man_page ALL DEPENDS ${SHARDSIM_MAN_PAGE})
  install(FILES ${SHARDSIM_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man not found: no man page (bash tools/setup.sh installs it)")
endif()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME shardsim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Discrete-event simulator of a geo-distributed, sharded master/slave database")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "shardsim developers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# The shared libraries the binary links (fmt, boost program_options, xxhash) become Depends.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
