# cmake --install puts the headers, the static libraries and a package config
# in the prefix, so a case system can find_package(marac) and link
# marac::marac.
include(CMakePackageConfigHelpers)

set_target_properties(marac_common PROPERTIES EXPORT_NAME common)
set_target_properties(marac_grade PROPERTIES EXPORT_NAME grade)
set_target_properties(marac_assess PROPERTIES EXPORT_NAME assess)
install(TARGETS marac_common marac_grade marac_assess marac_library
  EXPORT maracTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/marac
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS marac RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT maracTargets NAMESPACE marac::
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marac)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/maracConfig.cmake.in
  ${PROJECT_BINARY_DIR}/maracConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marac)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/maracConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/maracConfig.cmake
              ${PROJECT_BINARY_DIR}/maracConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/marac)
