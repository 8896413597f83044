# marac_warnings: the warning set every target links PRIVATE. MARAC_WERROR
# adds -Werror (CI); MARAC_SANITIZE adds ASan+UBSan to compile and link.
add_library(marac_warnings INTERFACE)
target_compile_options(marac_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual
  $<$<BOOL:${MARAC_WERROR}>:-Werror>)

if(MARAC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
