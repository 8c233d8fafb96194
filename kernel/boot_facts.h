/* The boot facts: the boot loader's and firmware's view of the machine, printed at boot. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/boot_info.h"

/* Binary units, for the sizes the boot facts print. */
#define KIB 1024ULL
#define MIB (1024ULL * KIB)
#define GIB (1024ULL * MIB)

/* Lines of the boot facts stay shorter than this, so that none wraps on an 80-column screen. */
#define BOOT_FACTS_COLUMNS 80

/*
 * Prints where the boot information lies and the command line, the memory map in a few lines
 * with the total usable memory, the framebuffer, what ACPI describes and the modules; then what
 * the frame allocator and the page tables made of it. Compact, so that a 25-row text screen
 * keeps the banner and room for what follows. Call after memory_init and arch_paging_init; it
 * may be called again any time after boot (the boot information stays mapped and kept).
 */
void boot_facts_print(const struct boot_info *info);

/*
 * The memory map (kernel/boot_facts_memory.c), every entry as the firmware gave it:
 * boot_facts_print_memory in wrapped lines, "memory map (7 entries): 0x0-0x9fc00 available, ...",
 * as the boot facts show it; boot_facts_print_memory_table as a table with each entry's size.
 * Both end with the usable total and the BIOS's own counts.
 */
void boot_facts_print_memory(const struct boot_info *info);
void boot_facts_print_memory_table(const struct boot_info *info);

/* The bytes the memory map calls available, summed entry by entry as the firmware gave them. */
uint64_t boot_facts_usable_bytes(const struct boot_info *info);

/*
 * A size in the largest binary unit that shows it exactly or in at least 100 units, so a rounded
 * figure is off by under 1%: "639 KiB", "2014 MiB", "4 GiB".
 */
void boot_facts_format_size(char *buf, size_t size, uint64_t bytes);

/*
 * Adds ", <part>" to a line *column characters long, or ",", a new line and "  <part>" if it
 * would not stay shorter than BOOT_FACTS_COLUMNS; *column follows.
 */
void boot_facts_part(size_t *column, const char *part);

/*
 * Where the loader found keel and put it, for the end of the banner line, column characters long
 * so far: ", from BIOS drive 0x80" or ", EFI system table 0x7f9e018" (spec 3.6.6, 3.6.14), each
 * only when the loader gave it, wrapped before column 80.
 */
void boot_facts_print_origin(const struct boot_info *info, size_t column);
