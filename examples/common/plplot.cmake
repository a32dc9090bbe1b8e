# PLplot's C++ API (Debian: libplplot-dev, and plplot-driver-cairo for PNG and PDF) for the examples'
# figures: parmap-taxi --plot and parmap-pi --plot. Sets PARMAP_PLPLOT_FOUND and PkgConfig::PARMAP_PLPLOT.
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PARMAP_PLPLOT QUIET IMPORTED_TARGET plplot-c++)
endif()
