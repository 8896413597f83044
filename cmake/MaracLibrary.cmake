# marac_add_library(NAME SOURCES ... [PUBLIC deps...] [PRIVATE deps...]):
# the project library marac_NAME (alias marac::NAME): public headers from
# include/, private headers from the source tree, C++20, the project's
# warnings. Dependencies that must not reach an installed package are
# wrapped in $<BUILD_INTERFACE:...> by the caller.
function(marac_add_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;PUBLIC;PRIVATE")
  add_library(marac_${name} ${arg_SOURCES})
  add_library(marac::${name} ALIAS marac_${name})
  target_include_directories(marac_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}>)
  target_compile_features(marac_${name} PUBLIC cxx_std_20)
  target_link_libraries(marac_${name}
    PUBLIC ${arg_PUBLIC}
    PRIVATE $<BUILD_INTERFACE:marac_warnings> ${arg_PRIVATE})
endfunction()
