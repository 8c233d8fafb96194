/* The boot facts: the boot loader's and firmware's view of the machine, printed at boot. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"

/*
 * Prints where the boot information lies, the command line, the memory map as a table with the
 * total usable memory, the framebuffer, the ACPI RSDP and the modules; then what the frame
 * allocator and the page tables made of it. Call after memory_init and arch_paging_init.
 */
void boot_facts_print(const struct boot_info *info);

/* The bytes the memory map calls available, summed entry by entry as the firmware gave them. */
uint64_t boot_facts_usable_bytes(const struct boot_info *info);

/*
 * Where the loader found keel and put it, for the end of the banner line, column characters long
 * so far: ", from BIOS drive 0x80" or ", EFI system table 0x7f9e018" (spec 3.6.6, 3.6.14), each
 * only when the loader gave it, wrapped before column 80.
 */
void boot_facts_print_origin(const struct boot_info *info, size_t column);
