# bo_strict(target): the warning set every bleota target compiles with, host and Cortex-M4.
function(bo_strict target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-align -Wstrict-prototypes
    -Wmissing-prototypes -Wundef -Wvla -Wno-unused-parameter)
endfunction()

# Portable core: additionally pedantic C11.
function(bo_core target)
  bo_strict(${target})
  target_compile_options(${target} PRIVATE -pedantic)
endfunction()
