/*
 * The boot page tables' direct map (arch/x86_64/mm/boot_page_tables.c), the kernel's window until
 * its own tables: it holds the boot information only, somewhere below 4 GiB, until
 * arch_map_memory_early adds memory to it.
 */
#include "arch/x86_64/mm/memory_layout.h"
#include "kernel/arch.h"

const uintptr_t arch_boot_window_offset = DIRECT_MAP_BASE;
const uint64_t arch_boot_window_limit = BOOT_DIRECT_MAP_SIZE;
