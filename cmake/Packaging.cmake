# SPDX-License-Identifier: ISC
# install() rules and CPack: `cpack` in a build directory makes
# xsmon-VERSION-ARCH.deb and .rpm (rpmbuild: Debian's rpm package).
# Units go to /lib/systemd/system in the .deb and /usr/lib/systemd/system
# in the .rpm: two install components, picked per generator by
# cmake/CPackProject.cmake.in.
include(GNUInstallDirs)
option(XSMON_SYSTEMD219 "Install systemd/el7/xsmond.service as the unit (systemd 219 hosts, XCP-ng 8.x)" OFF)

install(TARGETS xsmond DESTINATION ${CMAKE_INSTALL_SBINDIR} COMPONENT main)
install(TARGETS xsmonctl DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT main)
# /etc, not PREFIX/etc: a config file (deb conffiles, rpm %config(noreplace)).
install(FILES ${CMAKE_SOURCE_DIR}/conf/xsmond.conf DESTINATION /etc COMPONENT main)

# Man pages, gzipped as Debian policy and rpm expect.
set(XSMON_MAN xsmond.8 xsmonctl.8 xsmond.conf.5)
set(XSMON_MAN_GZ)
foreach(page ${XSMON_MAN})
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/man/${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND gzip -9 -n -c ${CMAKE_SOURCE_DIR}/conf/${page} > ${CMAKE_BINARY_DIR}/man/${page}.gz
    DEPENDS ${CMAKE_SOURCE_DIR}/conf/${page} VERBATIM)
  list(APPEND XSMON_MAN_GZ ${CMAKE_BINARY_DIR}/man/${page}.gz)
  string(REGEX REPLACE ".*\\.([0-9])$" "\\1" sect ${page})
  install(FILES ${CMAKE_BINARY_DIR}/man/${page}.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man${sect} COMPONENT main)
endforeach()
add_custom_target(man ALL DEPENDS ${XSMON_MAN_GZ})

install(FILES ${CMAKE_SOURCE_DIR}/conf/xsmonctl.bash-completion
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME xsmonctl COMPONENT main)
# The rsyslog snippets are examples, never active by themselves: the
# forward one needs a collector, and impstats is the admin's choice.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/conf/rsyslog.d/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/rsyslog.d COMPONENT main)
# The other unit variant and the drop-ins, for the admin to copy.
install(FILES ${CMAKE_SOURCE_DIR}/systemd/el7/xsmond.service
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/systemd/el7 COMPONENT main)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/systemd/dropins/
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/systemd/dropins COMPONENT main)

if(XSMON_SYSTEMD219)
  set(XSMON_UNIT ${CMAKE_SOURCE_DIR}/systemd/el7/xsmond.service)
else()
  set(XSMON_UNIT ${CMAKE_SOURCE_DIR}/systemd/xsmond.service)
endif()
foreach(c deb rpm)
  if(c STREQUAL deb)
    set(dir /lib/systemd/system)
  else()
    set(dir lib/systemd/system)  # under the /usr prefix
  endif()
  install(FILES ${XSMON_UNIT} ${CMAKE_SOURCE_DIR}/systemd/xsmond.socket
    DESTINATION ${dir} COMPONENT units_${c})
endforeach()

set(CPACK_PACKAGE_NAME xsmon)
set(CPACK_PACKAGE_VENDOR xsmon)
set(CPACK_PACKAGE_CONTACT "xsmon maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "dom0 monitoring daemon for Xen hosts")
set(CPACK_PACKAGE_DESCRIPTION "xsmond watches a Xen dom0: the /var/log partition, the management and storage NICs, rsyslog writing and forwarding, and xenstore. xsmonctl queries it.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR "DEB;RPM")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# What xsmond links (ldd, then dpkg -S), Debian 12 names.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libc6 (>= 2.34), libev4, libyajl2, libxenstore4, libmnl0, libinih1")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/cmake/deb/conffiles)

set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE ISC)
set(CPACK_RPM_PACKAGE_GROUP "System Environment/Daemons")
set(CPACK_RPM_USER_FILELIST "%config(noreplace) /etc/xsmond.conf")
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
  /usr/lib/systemd /usr/lib/systemd/system /usr/share/bash-completion
  /usr/share/bash-completion/completions /usr/share/man /usr/share/man/man5
  /usr/share/man/man8 /usr/sbin /usr/bin)

configure_file(${CMAKE_SOURCE_DIR}/cmake/CPackProject.cmake.in
  ${CMAKE_BINARY_DIR}/CPackProject.cmake @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/CPackProject.cmake)
include(CPack)
