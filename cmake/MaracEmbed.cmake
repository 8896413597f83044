# marac_embed_files(OUTPUT file.cc HEADER lib/x/y.h FUNCTION Name FILES ...)
# generates file.cc defining `std::span<const std::string_view> Name()`, the
# contents of FILES as raw string literals, so a library ships its data
# (instrument definitions, nickname tables) and reads no files at run time.
# Editing a data file re-runs the configure step.
function(marac_embed_files)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUTPUT;HEADER;FUNCTION" "FILES")
  set(LITERALS "")
  foreach(file IN LISTS arg_FILES)
    file(READ ${file} text)
    string(APPEND LITERALS "      R\"marac_data(${text})marac_data\",\n")
  endforeach()
  set(HEADER ${arg_HEADER})
  set(FUNCTION ${arg_FUNCTION})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${arg_FILES})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/embedded_files.cc.in
                 ${arg_OUTPUT} @ONLY)
endfunction()
