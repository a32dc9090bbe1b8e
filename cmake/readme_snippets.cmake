# README.md's code blocks as programs, so that the README cannot drift from the library. A snippet is the
# ```cpp block right after a marker line "<!-- KIND: NAME -->" (KIND: snippet, eigen-snippet, mpi-snippet).

# parmap_readme_snippet_names(<variable> <kind>): the NAMEs of every "<!-- <kind>: NAME -->" marker, in order.
function(parmap_readme_snippet_names variable kind)
  file(READ "${PROJECT_SOURCE_DIR}/README.md" text)
  string(REGEX MATCHALL "<!-- ${kind}: [A-Za-z0-9_]+ -->" markers "${text}")
  set(names "")
  foreach(marker IN LISTS markers)
    string(REGEX REPLACE "<!-- ${kind}: ([A-Za-z0-9_]+) -->" "\\1" name "${marker}")
    list(APPEND names ${name})
  endforeach()
  set(${variable} ${names} PARENT_SCOPE)
endfunction()

# parmap_readme_snippet(<target> <marker>): an executable built, with the project's warnings, from the ```cpp
# block that follows "<!-- <marker> -->" (e.g. "snippet: tour_map"). README.md is a configure dependency;
# the extracted source is rewritten only when it changed, so an unrelated README edit rebuilds nothing.
function(parmap_readme_snippet target marker)
  set(readme "${PROJECT_SOURCE_DIR}/README.md")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${readme}")
  file(READ "${readme}" text)
  string(FIND "${text}" "<!-- ${marker} -->\n```cpp\n" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "README.md has no ```cpp block right after <!-- ${marker} -->")
  endif()
  string(LENGTH "<!-- ${marker} -->\n```cpp\n" skip)
  math(EXPR at "${at} + ${skip}")
  string(SUBSTRING "${text}" ${at} -1 text)
  string(FIND "${text}" "\n```" end)
  math(EXPR end "${end} + 1")
  string(SUBSTRING "${text}" 0 ${end} code)
  string(REGEX REPLACE "^.*: " "" name "${marker}")
  set(source "${CMAKE_CURRENT_BINARY_DIR}/${name}.cpp")
  file(CONFIGURE OUTPUT "${source}" CONTENT "${code}" @ONLY)  # written only when it changed
  add_executable(${target} "${source}")
  target_compile_options(${target} PRIVATE ${PARMAP_WARNINGS})
endfunction()
