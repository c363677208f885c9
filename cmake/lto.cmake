# Link-time optimisation for the cross build. Everything is compiled with -flto
# -ffat-lto-objects: the objects carry both the compiler's IR and ordinary code, so a firmware
# image linked normally (the demo: its linker map attributes flash to each library) and the
# libraries' size report see ordinary code, while bo_lto(target) links an image with
# cross-module optimisation: the bootloader (its budget, docs/bootloader.md "Size") and the
# benchmark that measures the bootloader's code (bench/qemu).
# Included before any target is made. GCC's linker plugin optimises IR objects at link time
# unless told not to, hence -fno-lto for every image, which bo_lto overrides.
if(CMAKE_CROSSCOMPILING)
  add_compile_options(-flto -ffat-lto-objects)
  add_link_options(-fno-lto)
endif()

# -fipa-pta (whole-program points-to analysis): 16 B off the PIC32CX-BZ2 bootloader, 8 B off
# the QEMU one. Safe with start-up code that writes RAM through linker symbols (.data copy,
# .bss and API RAM set-up): those addresses pass through an empty asm first (section_addr in
# the ports' startup.c and the BZ2 bootloader's api.c), so the analysis lets the writes reach
# any static object instead of the symbol's own few bytes.
function(bo_lto target)
  if(CMAKE_CROSSCOMPILING)
    target_link_options(${target} PRIVATE -flto -flto-partition=none -fipa-pta)
  endif()
endfunction()
