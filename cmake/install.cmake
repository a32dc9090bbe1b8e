# parmap's install rules: the headers, the exported targets, a CMake package config with an
# architecture-independent version file, and a pkg-config file. Included by the top-level
# CMakeLists.txt when PARMAP_INSTALL is ON (the default when parmap is the top-level project).
#
# Everything is installed relative to the prefix, so an installed tree can be moved:
#   cmake --install build --prefix /opt/parmap
#   find_package(parmap 0.1 CONFIG REQUIRED)            # with CMAKE_PREFIX_PATH=/opt/parmap
#   pkg-config --cflags --libs parmap                   # with PKG_CONFIG_PATH=/opt/parmap/share/pkgconfig
include(CMakePackageConfigHelpers)

# Header-only, so the same files serve every architecture: they go under the data directory.
set(PARMAP_INSTALL_CMAKEDIR "${CMAKE_INSTALL_DATADIR}/cmake/parmap"
    CACHE STRING "Where parmapConfig.cmake is installed, relative to the prefix")
set(PARMAP_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_DATADIR}/pkgconfig"
    CACHE STRING "Where parmap.pc is installed, relative to the prefix")
mark_as_advanced(PARMAP_INSTALL_CMAKEDIR PARMAP_INSTALL_PKGCONFIGDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/parmap"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        COMPONENT parmap
        FILES_MATCHING PATTERN "*.hpp")

# parmap::parmap in parmap-targets.cmake; parmap::openmp in a file of its own, which the package
# config loads only when the consumer's compiler has OpenMP, so that a consumer without OpenMP
# still gets parmap::parmap (and a clear message if it asks for the openmp component).
install(TARGETS parmap EXPORT parmap-targets COMPONENT parmap)
install(EXPORT parmap-targets
        NAMESPACE parmap::
        FILE parmap-targets.cmake
        DESTINATION "${PARMAP_INSTALL_CMAKEDIR}"
        COMPONENT parmap)

# parmap_install_optional(<target> <name>): installs the target in an export file of its own,
# parmap-<name>-targets.cmake, and sets PARMAP_EXPORTED_<NAME> for the package config.
function(parmap_install_optional target name)
  string(TOUPPER "${name}" upper)
  if(NOT TARGET ${target})
    set(PARMAP_EXPORTED_${upper} OFF PARENT_SCOPE)
    return()
  endif()
  set(PARMAP_EXPORTED_${upper} ON PARENT_SCOPE)
  install(TARGETS ${target} EXPORT parmap-${name}-targets COMPONENT parmap)
  install(EXPORT parmap-${name}-targets
          NAMESPACE parmap::
          FILE parmap-${name}-targets.cmake
          DESTINATION "${PARMAP_INSTALL_CMAKEDIR}"
          COMPONENT parmap)
endfunction()

parmap_install_optional(parmap_openmp openmp)
# parmap::thrust likewise, loaded when the consumer finds the CUDA toolkit's CCCL (Thrust::Thrust).
parmap_install_optional(parmap_thrust thrust)

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/parmapConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/parmapConfig.cmake"
  INSTALL_DESTINATION "${PARMAP_INSTALL_CMAKEDIR}"
  NO_SET_AND_CHECK_MACRO)
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/parmapConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion
  ARCH_INDEPENDENT)
install(FILES "${PROJECT_BINARY_DIR}/parmapConfig.cmake" "${PROJECT_BINARY_DIR}/parmapConfigVersion.cmake"
        DESTINATION "${PARMAP_INSTALL_CMAKEDIR}"
        COMPONENT parmap)

# pkg-config: the prefix is found from the .pc file's own place (${pcfiledir}), not baked in,
# unless the install directories were given as absolute paths.
if(IS_ABSOLUTE "${PARMAP_INSTALL_PKGCONFIGDIR}")
  set(PARMAP_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH parmap_pc_up "/prefix/${PARMAP_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" parmap_pc_up "${parmap_pc_up}")
  set(PARMAP_PC_PREFIX "\${pcfiledir}/${parmap_pc_up}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(PARMAP_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(PARMAP_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${CMAKE_CURRENT_LIST_DIR}/parmap.pc.in" "${PROJECT_BINARY_DIR}/parmap.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/parmap.pc"
        DESTINATION "${PARMAP_INSTALL_PKGCONFIGDIR}"
        COMPONENT parmap)
