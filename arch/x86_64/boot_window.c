/* The boot page tables' direct map (boot/entry32.asm), the kernel's window until its own tables. */
#include "arch/x86_64/memory_layout.h"
#include "kernel/arch.h"

const uintptr_t arch_boot_window_offset = DIRECT_MAP_BASE;
const uint64_t arch_boot_window_limit = BOOT_DIRECT_MAP_SIZE;
